"""A dated act (a notice, a press release, a docket entry) on the proceeding it names: by
reference or docket number in its court, moving it through the transition service, and one
event for one act whichever sources report it."""

import datetime

import pytest

from imports.applier import Applier
from imports.choices import ProposalKind
from imports.models import Proposal, Provenance
from imports.records import CaseRecord, NoticeRecord, ParseError, PartySide, record_from_json
from regulators.models import Court
from tests.factories import RegulatorFactory, ReviewFactory, SubscriptionFactory, UserFactory
from tracker.choices import EventKind, ReviewStatus, ReviewType
from tracker.models import Event

pytestmark = pytest.mark.django_db

RELEASE = "https://www.justice.gov/opa/pr/example-release"


def notice(**fields) -> NoticeRecord:
    values = dict(
        source="federal_register",
        source_id="act-1",
        url=RELEASE,
        regulator="doj",
        kind="complaint",
        title="Complaint filed",
        abstract="The complaint as filed.",
        published_on=datetime.date(2024, 5, 2),
        sides=[],
    )
    return NoticeRecord(**{**values, **fields})


@pytest.fixture
def dcd():
    return Court.objects.create(
        name="United States District Court for the District of Columbia",
        short_name="D.D.C.",
        slug="us-dcd",
        jurisdiction="US",
    )


def test_a_docket_number_in_its_court_names_the_proceeding_whoever_brought_it(dcd):
    other_court = Court.objects.create(
        name="Another court", short_name="X", slug="us-x", jurisdiction="US"
    )
    suit = ReviewFactory(
        regulator=RegulatorFactory(slug="doj", short_name="DOJ"),
        review_type=ReviewType.LITIGATION,
        status=ReviewStatus.LITIGATION,
        court=dcd,
        docket_number="1:20-cv-03010",
    )
    ReviewFactory(court=other_court, docket_number="1:20-CV-03010")  # same number, other court

    result = Applier().apply(
        notice(
            regulator="",
            references=["1:20-CV-03010"],
            court="us-dcd",
            event_kind=EventKind.OPINION,
            source_type="court",
            may_open=False,
        )
    )

    assert result.outcome == "updated"
    [event] = Event.objects.filter(review=suit)
    assert (event.kind, event.source_type, event.source_url) == ("opinion", "court", RELEASE)


def test_a_case_reference_names_the_proceeding_at_the_same_regulator_only():
    ec = RegulatorFactory(slug="ec", short_name="EC")
    case = ReviewFactory(regulator=ec, reference="M.11766")
    ReviewFactory(regulator=RegulatorFactory(slug="cma", short_name="CMA"), reference="M.11766")

    Applier().apply(notice(regulator="ec", references=["m.11766"]))

    assert Event.objects.get().review == case


def test_an_act_that_may_not_open_a_proceeding_waits_in_the_queue(dcd):
    Applier().apply(
        notice(regulator="", references=["1:99-cv-00001"], court="us-dcd", may_open=False)
    )

    assert Event.objects.count() == 0
    assert Proposal.objects.get().kind == ProposalKind.UNMATCHED


def test_an_act_that_moves_its_proceeding_goes_through_the_transition_service_once(
    django_capture_on_commit_callbacks,
):
    from notices.models import Delivery

    review = ReviewFactory(
        regulator=RegulatorFactory(slug="ftc", short_name="FTC"),
        reference="D-9412",
        status=ReviewStatus.PHASE_1,
    )
    follower = UserFactory(email="counsel@example.org")
    SubscriptionFactory(user=follower, deal=review.deal, by_email=True)
    act = notice(
        regulator="ftc",
        references=["D-9412"],
        kind="second_request",
        title="Second request issued",
        moves_to=ReviewStatus.PHASE_2,
    )

    with django_capture_on_commit_callbacks(execute=True):
        Applier().apply(act)
        again = Applier().apply(act)

    review.refresh_from_db()
    assert review.status == ReviewStatus.PHASE_2
    [change] = review.events.filter(kind=EventKind.STATUS_CHANGE)
    assert (change.kind, change.to_status, change.source_url) == (
        EventKind.STATUS_CHANGE,
        ReviewStatus.PHASE_2,
        RELEASE,
    )
    assert again.outcome == "unchanged"
    assert list(Delivery.objects.values_list("event_id", "user_id")) == [(change.pk, follower.pk)]


def test_a_move_the_lifecycle_refuses_is_queued_and_the_act_kept_on_the_timeline():
    review = ReviewFactory(
        regulator=RegulatorFactory(slug="ftc", short_name="FTC"),
        reference="D-1",
        status=ReviewStatus.CLEARED,
    )

    Applier().apply(
        notice(regulator="ftc", references=["D-1"], moves_to=ReviewStatus.PRE_NOTIFICATION)
    )

    review.refresh_from_db()
    assert review.status == ReviewStatus.CLEARED
    assert review.events.get().kind == EventKind.FILING
    assert Proposal.objects.get().kind == ProposalKind.CONTRADICTS_EDITOR


def test_two_sources_reporting_one_act_make_one_event():
    review = ReviewFactory(
        regulator=RegulatorFactory(slug="ftc", short_name="FTC"), reference="C-1"
    )
    Applier().apply(notice(regulator="ftc", references=["C-1"], kind="consent_order"))
    [event] = Event.objects.all()
    Provenance.objects.filter(source_id="act-1").update(source="ftc_press")  # reported elsewhere

    result = Applier().apply(
        notice(
            regulator="ftc",
            references=["C-1"],
            kind="consent_order",
            published_on=datetime.date(2024, 5, 6),
            source_id="2024-09999",
        )
    )

    assert result.changes == [f"same act as event 2024-05-02 on {review}"]
    assert Event.objects.count() == 1
    assert set(Provenance.objects.filter(object_id=event.pk).values_list("source", flat=True)) == {
        "ftc_press",
        "federal_register",
    }


def test_records_kept_in_proposals_come_back_as_their_type():
    act = notice(sides=[PartySide(("Alphabet Inc.", "Google LLC"))], references=["1:20-cv-03010"])
    case = CaseRecord(
        source="cma",
        source_id="x",
        url="https://www.gov.uk/cma-cases/x",
        regulator="cma",
        title="A / B merger inquiry",
        deal_title="A / B",
        deal_type="acquisition",
        sides=[PartySide(("A",)), PartySide(("B",))],
        status="phase_1",
        outcome="",
        outcome_wording="",
        registry_state="open",
        registry_outcome="",
        opened_on=datetime.date(2024, 1, 2),
        closed_on=None,
        reference="ME/1/24",
    )

    assert record_from_json(act.as_json()) == act
    assert record_from_json(case.as_json()) == case
    with pytest.raises(ParseError, match="type"):
        record_from_json({**case.as_json(), "type": "other"})


def test_an_act_read_as_the_past_of_a_docket_is_on_the_timeline_but_no_news(
    django_capture_on_commit_callbacks,
):
    from notices.models import Delivery

    review = ReviewFactory(
        regulator=RegulatorFactory(slug="doj", short_name="DOJ"), reference="X-1"
    )
    SubscriptionFactory(user=UserFactory(), deal=review.deal, by_email=True, event_kinds=["filing"])

    with django_capture_on_commit_callbacks(execute=True):
        Applier().apply(notice(references=["X-1"], history=True))

    assert review.events.get().recorded_as_history is True
    assert Delivery.objects.count() == 0


def test_an_editor_s_event_citing_the_same_document_that_day_is_the_act():
    from tests.factories import EventFactory

    review = ReviewFactory(
        regulator=RegulatorFactory(slug="doj", short_name="DOJ"), reference="X-2"
    )
    entered = EventFactory(review=review, occurred_on=datetime.date(2024, 5, 2), source_url=RELEASE)

    Applier().apply(notice(references=["X-2"]))

    assert list(review.events.all()) == [entered]
    assert Provenance.objects.get(source_id="act-1").object_id == entered.pk


def test_an_act_older_than_the_last_status_change_moves_nothing():
    from django.utils import timezone

    review = ReviewFactory(
        regulator=RegulatorFactory(slug="doj", short_name="DOJ"),
        reference="1:20-cv-03010",
        status=ReviewStatus.APPEAL,
        status_changed_at=timezone.make_aware(datetime.datetime(2025, 9, 2)),
    )

    Applier().apply(
        notice(references=["1:20-cv-03010"], kind="complaint", moves_to=ReviewStatus.LITIGATION)
    )

    review.refresh_from_db()
    assert review.status == ReviewStatus.APPEAL
    assert review.events.get().kind == EventKind.FILING
    assert Proposal.objects.count() == 0
