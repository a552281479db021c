"""Importing the ACCC acquisitions register from a local server playing its pages."""

import datetime
import io

import pytest
from django.core.management import call_command

from imports.choices import ProposalKind, RunStatus
from imports.models import ImportRun, Proposal, SeenEntry
from imports.runner import run_import
from regulators.models import Regulator
from tracker.choices import EventKind, Outcome, ReviewStatus
from tracker.models import Deal, Event, Party, Review

from .accc_documents import (
    ALL,
    HEIDELBERG,
    MICROSTAR,
    MICROSTAR_IN_PHASE_1,
    MICROSTAR_IN_PHASE_2,
    OPAL,
    REGISTER_PATH,
    SILK,
    VETS_CENTRAL,
    WINNING,
    matter_page,
)
from .accc_server import register_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def accc_register(httpserver, settings):
    return register_on(httpserver, settings)


D = datetime.date


def accc_review(matter) -> Review:
    return Review.objects.select_related("deal").get(
        regulator__slug="accc", reference=matter.matter_id
    )


def import_accc(**options):
    """The command as cron runs it; its exit status (0 when it returns normally)."""
    try:
        call_command(
            "import_registry", "accc_acquisitions", stdout=io.StringIO(), stderr=io.StringIO()
        )
    except SystemExit as exc:
        return exc.code
    return 0


def test_a_first_import_builds_the_matters_with_their_past(accc_register):
    accc_register.show(*ALL)

    assert import_accc() == 0

    run = ImportRun.objects.get()
    assert (run.status, run.fetched, run.created, run.failed) == (RunStatus.OK, 8, 8, 0)
    accc = Regulator.objects.get(slug="accc")
    assert (accc.short_name, accc.name, accc.jurisdiction, accc.calendar) == (
        "ACCC",
        "Australian Competition and Consumer Commission",
        "AU",
        "AU-ACT",
    )
    microstar = accc_review(MICROSTAR)
    assert (microstar.status, microstar.outcome) == (ReviewStatus.PROHIBITED, Outcome.PROHIBITED)
    assert microstar.url == accc_register.server.url_for(MICROSTAR.path)
    changes = list(
        microstar.events.filter(kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on")
        .values_list("to_status", "occurred_on")
    )
    assert changes == [
        (ReviewStatus.PHASE_1, D(2026, 2, 20)),
        (ReviewStatus.PHASE_2, D(2026, 4, 1)),
        (ReviewStatus.PROHIBITED, D(2026, 8, 7)),
    ]
    determination = microstar.events.get(kind=EventKind.DECISION, title__contains="determination")
    assert determination.source_url.endswith("-%207%20August%202026_4.pdf")
    deal = microstar.deal
    assert (deal.title, deal.currency, deal.sector, deal.status) == (
        "MicroStar Logistics - Konvoy",
        "AUD",
        "6639 Other Goods and Equipment Rental and Hiring n.e.c.",
        "blocked",
    )
    assert sorted(deal.parties.values_list("name", flat=True)) == [
        "KEGSTAR PTY LIMITED",
        "KONVOY HOLDINGS PTY LIMITED",
    ]
    assert Party.objects.get(name="KEGSTAR PTY LIMITED").aliases == "ABN 81 157 818 990"
    winning = accc_review(WINNING)
    assert (winning.status, winning.outcome) == (ReviewStatus.CLOSED, Outcome.NOT_QUALIFYING)
    assert Review.objects.filter(regulator=accc).count() == 8
    assert Deal.objects.count() == 8


def test_an_open_phase_1_matter_gets_the_deadline_counted_in_business_days(accc_register):
    accc_register.show(SILK)

    run_import("accc_acquisitions")

    review = accc_review(SILK)
    assert review.status == ReviewStatus.PHASE_1
    period = review.deadline_periods.get(phase="phase_1")
    # 30 business days on the ACT calendar from the notification of 30 July 2026, day one the
    # next business day: Thursday 10 September 2026, the date the register publishes.
    assert (period.clock_started_on, period.due_on, period.published_due_on) == (
        D(2026, 7, 30),
        D(2026, 9, 10),
        D(2026, 9, 10),
    )
    assert not Proposal.objects.filter(kind=ProposalKind.DEADLINE_DISAGREES).exists()


def test_a_timeline_extension_of_a_running_matter_extends_our_count(accc_register):
    # Heidelberg / MAAS as the register showed it in June 2026: under assessment, its timeline
    # extended by 15 business days on 29 May after the parties offered a remedy.
    accc_register.show(
        HEIDELBERG.but(
            status="Under assessment",
            determination="",
            determined_on=None,
            events=tuple(e for e in HEIDELBERG.events if e[1].startswith("Timeline")),
        )
    )

    run_import("accc_acquisitions")

    period = accc_review(HEIDELBERG).deadline_periods.get(state="running")
    # Notified Thursday 28 May 2026, day one Friday 29 May; 30 business days without the ACT's
    # Reconciliation Day (1 June) and King's Birthday (8 June) end on 13 July; 15 more on
    # Monday 3 August 2026.
    assert period.due_on == D(2026, 8, 3)


def test_a_timeline_extension_on_a_decided_matter_stays_on_the_timeline(accc_register):
    accc_register.show(HEIDELBERG)

    run = run_import("accc_acquisitions").run

    assert run.failed == 0
    extension = accc_review(HEIDELBERG).events.get(title__startswith="Timeline extended")
    assert (extension.occurred_on, extension.recorded_as_history) == (D(2026, 5, 29), True)


def test_a_malformed_and_a_failing_matter_leave_the_rest_imported_and_exit_1(accc_register):
    accc_register.show(OPAL, HEIDELBERG, SILK, WINNING)
    accc_register.pages = {
        HEIDELBERG.matter_id: (200, matter_page(HEIDELBERG, drop="Acquisition status")),
        SILK.matter_id: (500, "oops"),
    }

    assert import_accc() == 1

    run = ImportRun.objects.get()
    assert (run.status, run.fetched, run.created, run.failed) == (RunStatus.PARTIAL, 4, 2, 2)
    reasons = {f["item"]: f["reason"] for f in run.failures}
    assert "Acquisition status" in reasons[HEIDELBERG.matter_id]
    assert "HTTP 500 after 2 attempts" in reasons[SILK.matter_id]
    assert set(Review.objects.values_list("reference", flat=True)) == {"MN-75002", "WA-01092"}
    # Nothing of a failed matter is half-written, and it is read again next time.
    assert not Party.objects.filter(name__icontains="Heidelberg").exists()
    assert not SeenEntry.objects.filter(source_id=SILK.matter_id).exists()

    accc_register.pages = {}
    assert import_accc() == 0
    assert ImportRun.objects.latest("started_at").created == 2


def test_a_second_import_changes_nothing(accc_register):
    accc_register.show(*ALL)
    run_import("accc_acquisitions")
    events = Event.objects.count()
    accc_register.server.clear_log()

    again = run_import("accc_acquisitions").run

    assert (again.status, again.unchanged, again.created, again.updated) == (
        RunStatus.OK,
        8,
        0,
        0,
    )
    assert Event.objects.count() == events
    # Only the list was read: no matter changed on it.
    assert accc_register.requests_to(REGISTER_PATH + "/") == []


def test_a_running_matter_read_again_on_another_day_changes_nothing(accc_register):
    import time_machine

    accc_register.show(SILK, VETS_CENTRAL)
    with time_machine.travel(datetime.datetime(2026, 8, 20, 9, tzinfo=datetime.UTC)):
        run_import("accc_acquisitions")
    events = Event.objects.count()

    with time_machine.travel(datetime.datetime(2026, 8, 21, 9, tzinfo=datetime.UTC)):
        again = run_import("accc_acquisitions").run

    # A running matter is fetched once a day; nothing on its page changed.
    assert (again.fetched, again.unchanged, again.updated) == (2, 2, 0)
    assert len(accc_register.requests_to(REGISTER_PATH + "/")) == 4
    assert Event.objects.count() == events


def test_a_matter_moving_to_phase_2_is_one_status_change_and_one_notice(
    accc_register, django_capture_on_commit_callbacks
):
    from notices.models import Delivery
    from tests.factories import SubscriptionFactory, UserFactory

    accc_register.show(MICROSTAR_IN_PHASE_1)
    run_import("accc_acquisitions")
    review = accc_review(MICROSTAR)
    follower = UserFactory(email="analyst@example.org")
    SubscriptionFactory(user=follower, deal=review.deal, by_email=True)
    before = set(Event.objects.values_list("pk", flat=True))
    accc_register.show(MICROSTAR_IN_PHASE_2)

    with django_capture_on_commit_callbacks(execute=True):
        run = run_import("accc_acquisitions").run

    assert (run.updated, run.failed) == (1, 0)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PHASE_2
    new = Event.objects.exclude(pk__in=before)
    [change] = new.filter(kind=EventKind.STATUS_CHANGE)
    assert (change.from_status, change.to_status, change.occurred_on) == (
        ReviewStatus.PHASE_1,
        ReviewStatus.PHASE_2,
        D(2026, 4, 1),
    )
    assert (change.source_url, change.source_type) == (review.url, "regulator")
    [delivery] = Delivery.objects.all()
    assert (delivery.event_id, delivery.user_id) == (change.pk, follower.pk)
    # The register's entry for the phase 2 decision is that change, not a second event;
    # the rest is the deadline service's account of the two periods.
    assert set(new.values_list("kind", flat=True)) == {EventKind.STATUS_CHANGE, EventKind.DEADLINE}
    assert not new.filter(title="ACCC decided notification is subject to Phase 2 review").exists()

    with django_capture_on_commit_callbacks(execute=True):
        again = run_import("accc_acquisitions").run
    assert (again.unchanged, again.updated) == (1, 0)
    assert Delivery.objects.count() == 1


def test_a_first_import_of_past_matters_sends_no_notice(accc_register):
    from notices.models import Delivery
    from tests.factories import SubscriptionFactory, UserFactory

    SubscriptionFactory(user=UserFactory(), deal=None, by_email=True)  # follows everything
    accc_register.show(*ALL)

    run_import("accc_acquisitions")

    assert Event.objects.filter(kind=EventKind.STATUS_CHANGE).count() > 8
    assert Delivery.objects.count() == 0
    assert not Event.objects.filter(recorded_as_history=False).exists()


def test_a_proceeding_entered_by_an_editor_is_adopted_by_its_case_number(accc_register):
    from tests.factories import RegulatorFactory, ReviewFactory

    accc_register.show(OPAL)
    accc = RegulatorFactory(slug="accc", short_name="ACCC", jurisdiction="AU", calendar="AU-ACT")
    typed = ReviewFactory(regulator=accc, reference="MN-75002", url="", status="phase_1")

    run = run_import("accc_acquisitions").run

    assert (run.created, run.updated) == (0, 1)
    assert Review.objects.filter(regulator=accc).count() == 1
    typed.refresh_from_db()
    # What the editor typed is theirs: the register's values go to the editors' queue.
    assert typed.status == ReviewStatus.PHASE_1
    queued = set(Proposal.objects.values_list("kind", "field", "proposed_value"))
    assert (ProposalKind.CONTRADICTS_EDITOR, "status", ReviewStatus.CLEARED) in queued


def test_the_list_is_read_page_after_page(accc_register):
    accc_register.page_size = 3
    accc_register.show(*ALL)

    run = run_import("accc_acquisitions").run

    assert (run.fetched, run.created) == (8, 8)
    assert len(accc_register.requests_to(REGISTER_PATH)) - 8 == 3


def test_a_next_page_off_the_register_stops_the_run(accc_register):
    accc_register.page_size = 3
    accc_register.next_href = "https://elsewhere.example.org/acquisitions-register?page=1"
    accc_register.show(*ALL)

    assert import_accc() == 2

    run = ImportRun.objects.get()
    assert run.status == RunStatus.UNREACHABLE and "leaves the register's origin" in run.error
    assert run.created == 3  # the first page's matters are in


def test_an_unreachable_register_exits_2(accc_register):
    accc_register.list_status = 503

    assert import_accc() == 2

    run = ImportRun.objects.get()
    assert run.status == RunStatus.UNREACHABLE and "HTTP 503" in run.error


def test_a_page_that_is_not_the_register_exits_2(accc_register, settings):
    accc_register.show(OPAL)
    settings.ACCC_REGISTER_URL = accc_register.server.url_for(OPAL.path)  # a matter, not the list

    assert import_accc() == 2

    run = ImportRun.objects.get()
    assert "not the acquisitions register's list" in run.error


def test_the_shipped_samples_import_with_no_network(settings):
    settings.IMPORTS_REQUESTS_PER_SECOND = 0
    out = io.StringIO()

    call_command("import_registry", "accc_acquisitions", "--sample", stdout=out)  # exit 0

    run = ImportRun.objects.get()
    assert (run.status, run.fetched, run.created, run.failed) == (RunStatus.OK, 8, 8, 0)
    assert "sample documents" in out.getvalue()
    assert accc_review(SILK).url == "https://www.accc.gov.au" + SILK.path


def test_the_shipped_samples_are_the_test_documents():
    from imports.sources import source_named

    root = source_named("accc_acquisitions").sample_directory() / "www.accc.gov.au"
    for matter in ALL:
        assert (root / matter.path.strip("/")).read_text() == matter_page(matter)
