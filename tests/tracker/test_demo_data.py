import datetime
from decimal import Decimal
from urllib.parse import urlparse

import pytest
from django.core.management import call_command

from regulators.models import Court, Regulator
from tracker.choices import DatePrecision, EventKind, Outcome, PeriodState, ReviewStatus, SourceType
from tracker.demo import load_demo
from tracker.models import (
    ClockStop,
    DeadlineExtension,
    DeadlinePeriod,
    Deal,
    DealParty,
    Event,
    Party,
    Review,
    ReviewDeal,
)

pytestmark = pytest.mark.django_db

OFFICIAL = {SourceType.REGULATOR, SourceType.COURT}


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (
            Regulator,
            Court,
            Party,
            Deal,
            DealParty,
            Review,
            ReviewDeal,
            Event,
            DeadlinePeriod,
            ClockStop,
            DeadlineExtension,
        )
    } | {
        "statuses": sorted(
            Review.objects.values_list("pk", "status", "stage", "outcome", "closed_on")
        ),
        "periods": sorted(
            DeadlinePeriod.objects.values_list(
                "pk", "state", "due_on", "published_due_on", "ended_on"
            )
        ),
    }


def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    first = snapshot()
    history_rows = Review.history.count()
    call_command("load_demo")
    assert snapshot() == first
    assert Review.history.count() == history_rows
    assert "nothing changed" in capsys.readouterr().out


def test_demo_holds_the_main_regulators_the_courts_and_the_deals():
    report = load_demo()
    assert not report.warnings
    assert {"ftc", "doj", "cma", "ec", "bkarta"} <= set(
        Regulator.objects.values_list("slug", flat=True)
    )
    assert Court.objects.filter(slug="us-dcd").exists()
    assert Deal.objects.count() == 9
    assert Review.objects.count() == 19
    # The file's sourced events, and the deadline events the deadline services wrote (periods
    # opened and ended by status changes; clock stops, extensions and phase decisions replayed).
    assert Event.objects.count() == 156
    assert Event.objects.filter(kind=EventKind.DEADLINE).count() == 45


def test_every_demo_event_names_its_source_and_its_kind_of_source():
    load_demo()
    assert not Event.objects.filter(source_url="").exists()
    assert not Event.objects.filter(source_title="").exists()
    assert not Event.objects.exclude(source_type__in=SourceType.values).exists()


def test_every_demo_status_change_and_decision_cites_a_regulator_or_a_court():
    load_demo()
    decided = Event.objects.filter(
        kind__in=[
            EventKind.STATUS_CHANGE,
            EventKind.DECISION,
            EventKind.JUDGMENT,
            EventKind.OPINION,
        ]
    )
    assert decided.count() > 40
    unsourced = decided.exclude(source_type__in=OFFICIAL) | decided.filter(source_url="")
    assert list(unsourced.values_list("title", flat=True)) == []
    for url in decided.values_list("source_url", flat=True):
        assert urlparse(url).scheme == "https" and urlparse(url).netloc


def test_the_ftc_6b_study_is_one_proceeding_on_three_deals_and_shows_on_each_timeline():
    load_demo()
    study = Review.objects.get(regulator__slug="ftc", review_type="market_study")
    assert set(study.deals.values_list("slug", flat=True)) == {
        "microsoft-openai",
        "amazon-anthropic",
        "alphabet-anthropic",
    }
    assert (study.status, study.outcome) == (ReviewStatus.CLOSED, Outcome.STUDY_CONCLUDED)
    closing = Event.objects.get(
        review=study, kind=EventKind.STATUS_CHANGE, to_status=ReviewStatus.CLOSED
    )
    for deal in study.deals.all():
        assert closing in Event.objects.on_timeline_of(deal)


def test_the_doj_search_case_is_litigation_in_a_court_that_went_to_judgment_and_appeal():
    load_demo()
    case = Review.objects.get(regulator__slug="doj", reference="1:20-cv-03010")
    assert case.court.slug == "us-dcd"
    assert case.docket_number == "1:20-cv-03010"
    assert "Mehta" in case.judge
    assert (case.status, case.outcome) == (ReviewStatus.APPEAL, Outcome.JUDGMENT)
    assert "alphabet-anthropic" in case.deals.values_list("slug", flat=True)


def test_two_cma_proceedings_on_microsoft_activision():
    load_demo()
    cases = Review.objects.filter(
        regulator__slug="cma", deals__slug="microsoft-activision"
    ).order_by("opened_on")
    assert [(c.status, c.outcome) for c in cases] == [
        (ReviewStatus.PROHIBITED, Outcome.PROHIBITED),
        (ReviewStatus.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES),
    ]
    assert cases[1].closed_on.isoformat() == "2023-10-13"


def test_amazon_anthropic_tranches_add_up_and_keep_their_precision():
    load_demo()
    deal = Deal.objects.with_total_committed().get(slug="amazon-anthropic")
    tranches = Event.objects.filter(deal=deal, kind=EventKind.INVESTMENT).order_by("occurred_on")
    # An announced ceiling ("up to $4bn") is not money committed.
    assert deal.total_committed == sum(
        t.amount for t in tranches if t.amount is not None and t.amount_basis != "up_to"
    )
    assert tranches.filter(amount_basis="up_to", amount=Decimal("4000000000")).exists()
    assert deal.total_committed >= Decimal("8000000000")
    assert tranches.filter(date_precision=DatePrecision.MONTH).exists()


def test_cma_amazon_anthropic_timeline_is_replayed_through_the_service():
    load_demo()
    review = Review.objects.get(deals__slug="amazon-anthropic", regulator__slug="cma")
    assert (review.status, review.outcome) == (ReviewStatus.CLOSED, Outcome.NOT_QUALIFYING)
    changes = list(
        Event.objects.filter(review=review, kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on")
        .values_list("from_status", "to_status", "occurred_on")
    )
    assert [(a, b, str(d)) for a, b, d in changes] == [
        ("monitoring", "preliminary_inquiry", "2024-04-24"),
        ("preliminary_inquiry", "phase_1", "2024-08-08"),
        ("phase_1", "closed", "2024-09-27"),
    ]


def test_no_demo_deadline_period_is_missed():
    load_demo()
    assert DeadlinePeriod.objects.count() == 25
    missed = DeadlinePeriod.objects.filter(state=PeriodState.MISSED)
    assert list(missed.values_list("review__title", "phase", "due_on", "end_reason")) == []
    assert not DeadlinePeriod.objects.filter(
        state__in=[PeriodState.RUNNING, PeriodState.STOPPED]
    ).exists()


def test_cma_phase_1_ends_on_the_slc_decision_not_on_the_reference():
    load_demo()
    review = Review.objects.get(regulator__slug="cma", deals__slug="vodafone-three")
    phase_1 = DeadlinePeriod.objects.get(review=review, phase="phase_1")
    assert (phase_1.state, phase_1.due_on, phase_1.ended_on) == (
        PeriodState.MET,
        datetime.date(2024, 3, 22),
        datetime.date(2024, 3, 22),
    )
    phase_2 = DeadlinePeriod.objects.filter(review=review, phase="phase_2").order_by("id").first()
    assert phase_2.clock_started_on == datetime.date(2024, 4, 4)


def test_vodafone_three_cma_phase_2_shows_the_stop_and_the_extension():
    load_demo()
    review = Review.objects.get(regulator__slug="cma", deals__slug="vodafone-three")
    stop = ClockStop.objects.get(review=review)
    assert (stop.phase, stop.stopped_on, stop.restarted_on) == (
        "phase_2",
        datetime.date(2024, 5, 10),
        datetime.date(2024, 6, 3),
    )
    extension = DeadlineExtension.objects.get(review=review)
    assert (extension.phase, extension.length, extension.granted_on) == (
        "phase_2",
        8,
        datetime.date(2024, 8, 2),
    )
    history = list(
        DeadlinePeriod.objects.filter(review=review, phase="phase_2")
        .order_by("id")
        .values_list("due_on", "state")
    )
    assert history == [
        (datetime.date(2024, 9, 18), PeriodState.SUPERSEDED),  # 24 weeks from the reference
        (None, PeriodState.SUPERSEDED),  # clock stopped under s.39(4)
        (datetime.date(2024, 10, 12), PeriodState.SUPERSEDED),  # restarted: 24 days later
        (datetime.date(2024, 12, 7), PeriodState.MET),  # the 8-week s.39(3) extension
    ]
    final = DeadlinePeriod.objects.get(review=review, phase="phase_2", state=PeriodState.MET)
    assert final.ended_on == datetime.date(2024, 12, 5)
    deadline_events = Event.objects.filter(
        review=review, kind=EventKind.DEADLINE, occurred_on__gte="2024-05-10"
    )
    assert not deadline_events.filter(source_title="").exists()
    assert deadline_events.filter(
        occurred_on="2024-08-02", title__contains="extended by 8 weeks"
    ).exists()


def test_cma_invitations_to_comment_are_the_cmas_preliminary_inquiries():
    """Microsoft / OpenAI: the CMA invited comment on 8 December 2023 of its own motion; nobody
    pre-notified, and no formal phase 1 was ever opened (found not to qualify, March 2025)."""
    load_demo()
    review = Review.objects.get(deals__slug="microsoft-openai", regulator__slug="cma")
    first = review.events.filter(kind=EventKind.STATUS_CHANGE).order_by("occurred_on").first()
    assert (first.to_status, str(first.occurred_on)) == ("preliminary_inquiry", "2023-12-08")
    assert not Event.objects.filter(
        review__regulator__slug="cma",
        review__deals__slug__in=["microsoft-openai", "amazon-anthropic", "microsoft-mistral"],
        to_status="pre_notification",
    ).exists()
    amazon = Review.objects.get(deals__slug="amazon-anthropic", regulator__slug="cma")
    assert (str(amazon.opened_on), str(amazon.formally_opened_on)) == ("2024-04-24", "2024-08-08")
