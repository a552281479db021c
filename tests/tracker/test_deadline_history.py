"""Every statutory period a proceeding had is kept, and every change of it writes one deadline event."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from regulators.choices import Calendar
from tests.factories import RegulatorFactory, ReviewFactory
from tracker import deadline_periods, deadlines
from tracker.choices import DeadlineKind, EventKind, Outcome, PeriodState, ReviewStatus
from tracker.models import ClockStop, DeadlineExtension, DeadlinePeriod, Event
from tracker.services import transition_review

pytestmark = pytest.mark.django_db
d = datetime.date
SOURCE = "https://www.gov.uk/cma-cases/x"
S = PeriodState


def regulator(slug):
    short, calendar, jurisdiction = {
        "cma": ("CMA", Calendar.ENGLAND_WALES, "GB"),
        "ec": ("EC", Calendar.EU_COMMISSION, "EU"),
        "ftc": ("FTC", Calendar.US_FEDERAL, "US"),
        "bkarta": ("BKartA", Calendar.GERMANY, "DE"),
    }[slug]
    return RegulatorFactory(
        slug=slug, short_name=short, calendar=calendar, jurisdiction=jurisdiction
    )


def monitored(slug="cma", **kwargs):
    return ReviewFactory(
        regulator=regulator(slug), status=ReviewStatus.MONITORING, opened_on=None, **kwargs
    )


def move(review, status, on, **kwargs):
    transition_review(
        review_id=review.pk, to_status=status, occurred_on=on, source_url=SOURCE, **kwargs
    )
    review.refresh_from_db()
    return review


def review_in(slug, status, on):
    return move(monitored(slug), status, on)


def titles(review):
    return list(
        Event.objects.filter(review=review, kind=EventKind.DEADLINE)
        .order_by("id")
        .values_list("title", flat=True)
    )


def history(review):
    """The periods oldest first, as (phase, state, clock start, due, end)."""
    return [
        (p.phase, p.state, p.clock_started_on, p.due_on, p.ended_on)
        for p in DeadlinePeriod.objects.filter(review=review).order_by("id")
    ]


def assert_mirrors_current(review):
    review.refresh_from_db()
    current = deadline_periods.current_period(review)
    if current is None:
        assert (
            review.next_deadline,
            review.deadline_phase,
            review.clock_started_on,
            review.deadline_kind,
        ) == (
            None,
            "",
            None,
            "",
        )
    else:
        assert (
            review.next_deadline,
            review.deadline_phase,
            review.clock_started_on,
            review.deadline_basis,
        ) == (
            current.due_on,
            current.phase,
            current.clock_started_on,
            current.basis,
        )


# -- opening -------------------------------------------------------------------------


def test_entering_a_phase_through_a_status_change_opens_a_period_and_says_so():
    review = review_in("cma", ReviewStatus.PHASE_2, d(2022, 9, 15))
    [period] = DeadlinePeriod.objects.filter(review=review)
    assert (period.phase, period.state, period.clock_started_on, period.due_on, period.kind) == (
        "phase_2",
        S.RUNNING,
        d(2022, 9, 15),
        d(2023, 3, 1),
        DeadlineKind.STATUTORY,
    )
    assert "s.39(1)" in period.basis
    [event] = Event.objects.filter(review=review, kind=EventKind.DEADLINE)
    assert event.title == (
        "CMA: Phase 2 deadline set to 2023-03-01: 24 weeks from the phase 2 reference on 2022-09-15 "
        "(Enterprise Act 2002 s.38(1), s.39(1))"
    )
    assert (event.deal, event.occurred_on, event.body) == (None, d(2022, 9, 15), period.basis)
    assert event.source_url in {
        "",
        SOURCE,
    }  # the status change's source, once the transition service passes it on
    assert_mirrors_current(review)


def test_a_phase_whose_clock_starts_later_opens_a_waiting_period():
    review = review_in("ftc", ReviewStatus.PHASE_1, d(2024, 6, 7))
    move(review, ReviewStatus.PHASE_2, d(2024, 7, 1))
    assert history(review) == [
        ("hsr_initial", S.MET, d(2024, 6, 7), d(2024, 7, 8), d(2024, 7, 1)),
        ("hsr_second_request", S.RUNNING, None, None, None),
    ]
    assert titles(review)[1:] == [
        "FTC: HSR waiting period deadline met: decision on 2024-07-01 (phase 2 opened), due 2024-07-08",
        "FTC: HSR second-request waiting period deadline not yet running: "
        "the period starts with the substantial compliance with the second request",
    ]
    deadlines.set_clock(review_id=review.pk, started_on=d(2024, 11, 1))
    assert history(review)[1:] == [
        ("hsr_second_request", S.SUPERSEDED, None, None, d(2024, 11, 1)),
        ("hsr_second_request", S.RUNNING, d(2024, 11, 1), d(2024, 12, 2), None),
    ]
    assert_mirrors_current(review)


def test_a_review_created_in_a_phase_opens_its_period():
    review = ReviewFactory(
        regulator=regulator("cma"), status=ReviewStatus.PHASE_1, opened_on=d(2024, 8, 8)
    )
    change = deadlines.open_in_phase(
        review_id=review.pk, started_on=d(2024, 8, 8), source_url=SOURCE
    )
    assert history(review) == [("phase_1", S.RUNNING, d(2024, 8, 8), d(2024, 10, 4), None)]
    assert change.event.title == (
        "CMA: Phase 1 deadline set to 2024-10-04: 40 working days from the launch notice on 2024-08-08 "
        "(Enterprise Act 2002 s.34ZA(3))"
    )
    assert (change.event.deal, change.event.source_url) == (None, SOURCE)
    assert change.review.next_deadline == d(2024, 10, 4)
    assert_mirrors_current(review)
    # Once is enough: a second call finds the period and writes nothing.
    again = deadlines.open_in_phase(review_id=review.pk, started_on=d(2024, 8, 8))
    assert again.event is None and again.period == change.period
    assert len(titles(review)) == 1


def test_a_review_created_in_a_phase_without_its_start_waits_for_it():
    review = ReviewFactory(
        regulator=regulator("cma"), status=ReviewStatus.PHASE_1, opened_on=d(2024, 8, 8)
    )
    change = deadlines.open_in_phase(review_id=review.pk)
    assert history(review) == [("phase_1", S.RUNNING, None, None, None)]
    assert (
        change.event.title
        == "CMA: Phase 1 deadline not yet running: the period starts with the launch notice"
    )
    assert change.review.deadline_phase == "phase_1"
    deadlines.set_clock(review_id=review.pk, started_on=d(2024, 8, 8))
    assert (
        titles(review)[-1] == "CMA: Phase 1 deadline set to 2024-10-04: launch notice on 2024-08-08"
    )


def test_a_review_created_with_a_date_by_hand_keeps_it_as_set_by_hand():
    review = ReviewFactory(
        regulator=regulator("bkarta"), status=ReviewStatus.PHASE_1, opened_on=d(2024, 8, 8)
    )
    change = deadlines.open_in_phase(
        review_id=review.pk, next_deadline=d(2024, 9, 8), note="per the BKartA"
    )
    assert history(review) == [("", S.RUNNING, None, d(2024, 9, 8), None)]
    assert change.event.title == "BKartA: Deadline set to 2024-09-08: set by hand (per the BKartA)"
    assert change.review.deadline_kind == DeadlineKind.MANUAL


def test_a_review_created_where_no_rules_run_gets_nothing():
    review = ReviewFactory(regulator=regulator("bkarta"), status=ReviewStatus.PHASE_1)
    change = deadlines.open_in_phase(review_id=review.pk)
    assert (change.period, change.event) == (None, None)
    assert not DeadlinePeriod.objects.exists() and titles(review) == []
    with pytest.raises(ValidationError) as exc:
        deadlines.open_in_phase(review_id=review.pk, started_on=d(2024, 8, 8))
    assert "clock_started_on" in exc.value.message_dict


def test_a_year_without_holiday_data_opens_a_period_without_a_date():
    review = ReviewFactory(
        regulator=regulator("ec"), status=ReviewStatus.PHASE_1, opened_on=d(2028, 2, 1)
    )
    change = deadlines.open_in_phase(review_id=review.pk, started_on=d(2028, 2, 1))
    assert history(review) == [("phase_1", S.RUNNING, d(2028, 2, 1), None, None)]
    assert change.event.title.startswith("EC: Phase 1 deadline not counted:")
    assert "2028" in change.period.basis


# -- recounts --------------------------------------------------------------------------


def test_stop_restart_and_extension_each_supersede_the_version_before():
    review = review_in("cma", ReviewStatus.PHASE_2, d(2022, 9, 15))
    deadlines.stop_clock(
        review_id=review.pk, stopped_on=d(2022, 10, 3), reason="s.109 notice not complied with"
    )
    assert deadline_periods.current_period(review).state == S.STOPPED
    assert_mirrors_current(review)
    deadlines.restart_clock(clock_stop_id=ClockStop.objects.get().pk, restarted_on=d(2022, 10, 10))
    deadlines.extend_deadline(
        review_id=review.pk, length=8, granted_on=d(2023, 2, 22), reason="special reasons"
    )
    assert history(review) == [
        ("phase_2", S.SUPERSEDED, d(2022, 9, 15), d(2023, 3, 1), d(2022, 10, 3)),
        ("phase_2", S.SUPERSEDED, d(2022, 9, 15), None, d(2022, 10, 10)),
        ("phase_2", S.SUPERSEDED, d(2022, 9, 15), d(2023, 3, 8), d(2023, 2, 22)),
        ("phase_2", S.RUNNING, d(2022, 9, 15), d(2023, 5, 3), None),
    ]
    superseded = DeadlinePeriod.objects.filter(state=S.SUPERSEDED).order_by("id")
    assert [p.end_reason for p in superseded] == [
        "clock stopped since 2022-10-03 (s.109 notice not complied with)",
        "clock stopped 2022-10-03 to 2022-10-10 (s.109 notice not complied with)",
        "extended by 8 weeks on 2023-02-22 (special reasons)",
    ]
    assert titles(review)[1:] == [
        "CMA: Phase 2 deadline 2023-03-01 suspended: clock stopped since 2022-10-03 (s.109 notice not complied with)",
        "CMA: Phase 2 deadline moved from 2023-03-01 to 2023-03-08: "
        "clock stopped 2022-10-03 to 2022-10-10 (s.109 notice not complied with)",
        "CMA: Phase 2 deadline moved from 2023-03-08 to 2023-05-03: extended by 8 weeks on "
        "2023-02-22 (special reasons)",
    ]
    assert_mirrors_current(review)


def test_a_correction_removed_is_a_new_version_too_and_nothing_is_deleted():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    deadlines.stop_clock(
        review_id=review.pk, stopped_on=d(2024, 9, 2), restarted_on=d(2024, 9, 9), reason="s.109"
    )
    deadlines.remove_clock_stop(clock_stop_id=ClockStop.objects.get().pk)
    assert [(state, due) for _, state, _, due, _ in history(review)] == [
        (S.SUPERSEDED, d(2024, 10, 4)),
        (S.SUPERSEDED, d(2024, 10, 11)),
        (S.RUNNING, d(2024, 10, 4)),
    ]
    assert len(titles(review)) == 3


def test_nothing_changed_writes_nothing():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    change = deadlines.set_clock(review_id=review.pk, started_on=d(2024, 8, 8))
    assert change.event is None
    assert DeadlinePeriod.objects.count() == 1 and len(titles(review)) == 1
    deadlines.set_deadline_by_hand(review_id=review.pk, next_deadline=d(2024, 10, 7))
    again = deadlines.set_deadline_by_hand(review_id=review.pk, next_deadline=d(2024, 10, 7))
    assert again.event is None and DeadlinePeriod.objects.count() == 2


def test_a_date_set_by_hand_and_cleared_by_hand_are_versions_of_the_period():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    deadlines.set_deadline_by_hand(
        review_id=review.pk, next_deadline=d(2024, 10, 7), note="per CMA page"
    )
    cleared = deadlines.set_deadline_by_hand(
        review_id=review.pk, next_deadline=None, note="CMA page withdrawn"
    )
    assert (
        cleared.event.title
        == "CMA: Phase 1 deadline 2024-10-07 cleared: set by hand (CMA page withdrawn)"
    )
    assert [(state, due) for _, state, _, due, _ in history(review)] == [
        (S.SUPERSEDED, d(2024, 10, 4)),
        (S.SUPERSEDED, d(2024, 10, 7)),
        (S.RUNNING, None),
    ]
    review.refresh_from_db()
    assert (review.next_deadline, review.deadline_kind, review.deadline_phase) == (
        None,
        "",
        "phase_1",
    )


def test_clearing_a_date_outside_any_rule_ends_its_period():
    review = review_in("bkarta", ReviewStatus.PHASE_1, d(2024, 8, 8))
    deadlines.set_deadline_by_hand(review_id=review.pk, next_deadline=d(2024, 9, 8))
    change = deadlines.set_deadline_by_hand(review_id=review.pk, next_deadline=None)
    assert change.event.title == "BKartA: Deadline 2024-09-08 cleared: set by hand"
    assert history(review) == [("", S.SUPERSEDED, None, d(2024, 9, 8), datetime.date.today())]
    assert_mirrors_current(review)


# -- endings --------------------------------------------------------------------------


def test_a_decision_on_or_before_the_due_date_meets_the_period():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    move(review, ReviewStatus.CLEARED, d(2024, 10, 4))
    assert history(review) == [("phase_1", S.MET, d(2024, 8, 8), d(2024, 10, 4), d(2024, 10, 4))]
    assert (
        titles(review)[-1]
        == "CMA: Phase 1 deadline met: decision on 2024-10-04 (cleared), due 2024-10-04"
    )
    assert (
        DeadlinePeriod.objects.get().end_reason
        == "decision on 2024-10-04 (cleared), due 2024-10-04"
    )
    assert_mirrors_current(review)


def test_a_decision_after_the_due_date_misses_it():
    review = review_in("cma", ReviewStatus.PHASE_2, d(2022, 9, 15))
    move(review, ReviewStatus.PROHIBITED, d(2023, 3, 3))
    assert history(review) == [("phase_2", S.MISSED, d(2022, 9, 15), d(2023, 3, 1), d(2023, 3, 3))]
    assert (
        titles(review)[-1]
        == "CMA: Phase 2 deadline missed: due 2023-03-01, decision on 2023-03-03 (prohibited)"
    )


def test_the_phase_1_decision_to_open_phase_2_meets_phase_1_and_opens_phase_2():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2022, 7, 20))
    move(review, ReviewStatus.PHASE_2, d(2022, 9, 15))
    assert history(review) == [
        ("phase_1", S.MET, d(2022, 7, 20), d(2022, 9, 15), d(2022, 9, 15)),
        ("phase_2", S.RUNNING, d(2022, 9, 15), d(2023, 3, 1), None),
    ]
    events = Event.objects.filter(review=review).order_by("id")
    assert [e.kind for e in events] == [
        EventKind.DEADLINE,
        EventKind.STATUS_CHANGE,
        EventKind.DEADLINE,
        EventKind.DEADLINE,
        EventKind.STATUS_CHANGE,
    ]
    assert_mirrors_current(review)


def test_abandonment_withdraws_the_period_and_keeps_it():
    review = review_in("cma", ReviewStatus.PHASE_2, d(2022, 9, 15))
    deadlines.stop_clock(review_id=review.pk, stopped_on=d(2022, 10, 3), reason="s.109")
    move(review, ReviewStatus.ABANDONED, d(2022, 11, 1))
    assert [state for _, state, _, _, _ in history(review)] == [S.SUPERSEDED, S.WITHDRAWN]
    assert (
        titles(review)[-1]
        == "CMA: Phase 2 deadline withdrawn: the parties abandoned the deal on 2022-11-01"
    )
    assert_mirrors_current(review)
    # Stops and extensions of the period stay too.
    assert ClockStop.objects.filter(review=review).count() == 1


def test_a_referral_withdraws_the_phase_1_period():
    review = review_in("ec", ReviewStatus.PHASE_1, d(2024, 11, 15))
    move(review, ReviewStatus.REFERRAL, d(2024, 12, 2))
    assert history(review)[-1][1] == S.WITHDRAWN
    assert titles(review)[-1] == (
        "EC: Phase 1 deadline withdrawn: the case went to a referral between authorities on 2024-12-02"
    )


@pytest.mark.parametrize(
    "outcome, state",
    [(Outcome.NOT_QUALIFYING, S.MET), (Outcome.REFERRED, S.WITHDRAWN), ("", S.WITHDRAWN)],
)
def test_a_closure_decides_the_period_only_when_it_decides_the_case(outcome, state):
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    move(review, ReviewStatus.CLOSED, d(2024, 9, 2), outcome=outcome)
    assert history(review)[-1][1] == state


def test_an_hsr_waiting_period_that_expired_is_not_missed():
    review = review_in("ftc", ReviewStatus.PHASE_1, d(2024, 6, 7))
    move(review, ReviewStatus.CLEARED, d(2024, 7, 10))
    assert history(review)[-1][1] == S.MET
    assert (
        titles(review)[-1]
        == "FTC: HSR waiting period deadline met: the waiting period expired on 2024-07-08; cleared on 2024-07-10"
    )


def test_a_decision_taken_before_the_status_changes_is_recorded_on_its_day():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 1, 26))
    change = deadlines.record_phase_decision(
        review_id=review.pk,
        decided_on=d(2024, 3, 22),
        decision="the duty to refer applies",
        source_url=SOURCE,
    )
    assert change.event.title == (
        "CMA: Phase 1 deadline met: decision on 2024-03-22 (the duty to refer applies), due 2024-03-22"
    )
    assert_mirrors_current(review)
    move(review, ReviewStatus.PHASE_2, d(2024, 4, 4))
    assert [state for _, state, _, _, _ in history(review)] == [S.MET, S.RUNNING]
    with pytest.raises(ValidationError, match="predates"):
        deadlines.record_phase_decision(review_id=review.pk, decided_on=d(2024, 4, 3))


def test_a_date_by_hand_outside_the_rules_stays_until_the_review_closes():
    review = review_in("bkarta", ReviewStatus.PHASE_1, d(2024, 8, 8))
    deadlines.set_deadline_by_hand(review_id=review.pk, next_deadline=d(2024, 9, 8))
    move(review, ReviewStatus.PHASE_2, d(2024, 9, 5))
    assert history(review) == [("", S.RUNNING, None, d(2024, 9, 8), None)]
    move(review, ReviewStatus.CLEARED, d(2024, 9, 6))
    assert history(review) == [("", S.MET, None, d(2024, 9, 8), d(2024, 9, 6))]
    assert (
        titles(review)[-1]
        == "BKartA: Deadline met: decision on 2024-09-06 (cleared), due 2024-09-08"
    )


def test_a_date_by_hand_gives_way_when_a_phase_with_rules_begins():
    review = monitored("cma")
    deadlines.set_deadline_by_hand(
        review_id=review.pk, next_deadline=d(2024, 9, 8), kind=DeadlineKind.ESTIMATED
    )
    move(review, ReviewStatus.PHASE_1, d(2024, 8, 8))
    assert [(phase, state) for phase, state, _, _, _ in history(review)] == [
        ("", S.SUPERSEDED),
        ("phase_1", S.RUNNING),
    ]
    assert (
        titles(review)[1]
        == "CMA: Deadline 2024-09-08 cleared: the Phase 1 period began on 2024-08-08"
    )


def test_a_deadline_kept_before_periods_were_is_adopted_as_it_stands():
    review = ReviewFactory(
        regulator=regulator("cma"),
        status=ReviewStatus.PHASE_1,
        opened_on=d(2024, 8, 8),
        next_deadline=d(2024, 10, 4),
        deadline_kind=DeadlineKind.STATUTORY,
        deadline_phase="phase_1",
        clock_started_on=d(2024, 8, 8),
        deadline_basis="40 working days",
    )
    deadlines.stop_clock(
        review_id=review.pk, stopped_on=d(2024, 9, 2), restarted_on=d(2024, 9, 9), reason="s.109"
    )
    assert history(review) == [
        ("phase_1", S.SUPERSEDED, d(2024, 8, 8), d(2024, 10, 4), d(2024, 9, 9)),
        ("phase_1", S.RUNNING, d(2024, 8, 8), d(2024, 10, 11), None),
    ]
    assert titles(review) == [
        "CMA: Phase 1 deadline moved from 2024-10-04 to 2024-10-11: clock stopped 2024-09-02 to 2024-09-09 (s.109)"
    ]


def test_no_period_is_ever_deleted():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2022, 7, 20))
    seen = set()
    steps = [
        lambda: deadlines.stop_clock(review_id=review.pk, stopped_on=d(2022, 8, 1), reason="s.109"),
        lambda: deadlines.restart_clock(
            clock_stop_id=ClockStop.objects.get().pk, restarted_on=d(2022, 8, 8)
        ),
        lambda: deadlines.set_deadline_by_hand(review_id=review.pk, next_deadline=d(2022, 9, 30)),
        lambda: move(review, ReviewStatus.PHASE_2, d(2022, 9, 15)),
        lambda: deadlines.extend_deadline(
            review_id=review.pk, length=8, granted_on=d(2023, 2, 22), reason="special"
        ),
        lambda: deadlines.remove_extension(extension_id=DeadlineExtension.objects.get().pk),
        lambda: move(review, ReviewStatus.REMEDIES, d(2023, 2, 28)),
        lambda: move(review, ReviewStatus.PHASE_2, d(2023, 3, 2)),
        lambda: move(review, ReviewStatus.ABANDONED, d(2023, 3, 3)),
    ]
    for step in steps:
        step()
        ids = set(DeadlinePeriod.objects.filter(review=review).values_list("id", flat=True))
        assert seen <= ids
        seen = ids
        assert (
            DeadlinePeriod.objects.filter(review=review, state__in=[S.RUNNING, S.STOPPED]).count()
            <= 1
        )
        assert_mirrors_current(review)
    assert len(seen) == 8
    assert len(titles(review)) == 11


# -- the regulator's published date --------------------------------------------------


def test_the_published_date_is_kept_beside_ours_and_a_disagreement_is_reported():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    agree = deadlines.record_published_deadline(
        review_id=review.pk,
        published_due_on=d(2024, 10, 4),
        published_on=d(2024, 8, 8),
        source_url=SOURCE,
    )
    assert (
        agree.event.title == "CMA: Phase 1 deadline published by CMA as 2024-10-04, as counted here"
    )
    assert agree.period.published_due_on == d(2024, 10, 4)
    assert (
        deadlines.record_published_deadline(
            review_id=review.pk, published_due_on=d(2024, 10, 4)
        ).event
        is None
    )
    differ = deadlines.record_published_deadline(
        review_id=review.pk, published_due_on=d(2024, 10, 7)
    )
    assert differ.event.title == (
        "CMA: Phase 1 deadline published by CMA as 2024-10-07, 3 days later than counted here (2024-10-04): "
        "check the clock stops and extensions"
    )
    assert DeadlinePeriod.objects.count() == 1


def test_no_published_date_without_a_current_period():
    review = monitored("cma")
    with pytest.raises(ValidationError) as exc:
        deadlines.record_published_deadline(review_id=review.pk, published_due_on=d(2024, 10, 4))
    assert "published_due_on" in exc.value.message_dict


# -- a real case -----------------------------------------------------------------------


def test_vodafone_three_at_the_cma():
    """Vodafone / CK Hutchison JV (CMA). Phase 1 launched 26 January 2024 (deadline 22 March);
    phase 1 decision 22 March; reference 4 April (deadline 18 September 2024); CK Hutchison did
    not comply with a s.109 notice: period extended under s.39(4) from 10 May, notice cancelled
    3 June (24 days: 12 October); extended by 8 weeks under s.39(3) on 2 August (7 December);
    cleared with remedies on 5 December 2024."""
    case = "https://www.gov.uk/cma-cases/vodafone-slash-ck-hutchison-jv-merger-inquiry"
    review = monitored("cma", reference="ME/7064/23")

    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_1,
        occurred_on=d(2024, 1, 26),
        source_url=case,
    )
    deadlines.record_phase_decision(
        review_id=review.pk,
        decided_on=d(2024, 3, 22),
        decision="SLC decision: the duty to refer applies",
        source_url=case,
    )
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=d(2024, 4, 4),
        source_url=case,
    )
    deadlines.record_published_deadline(
        review_id=review.pk, published_due_on=d(2024, 9, 18), published_on=d(2024, 4, 4)
    )
    stop = deadlines.stop_clock(
        review_id=review.pk,
        stopped_on=d(2024, 5, 10),
        reason="s.39(4): CK Hutchison did not comply with the s.109 notice of 17 April 2024",
        source_url=case,
    )
    deadlines.restart_clock(
        clock_stop_id=ClockStop.objects.get(review=review).pk, restarted_on=d(2024, 6, 3)
    )
    deadlines.extend_deadline(
        review_id=review.pk,
        length=8,
        granted_on=d(2024, 8, 2),
        reason="s.39(3): special reasons",
        source_url=case,
    )
    deadlines.record_published_deadline(
        review_id=review.pk, published_due_on=d(2024, 12, 7), published_on=d(2024, 8, 2)
    )
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.CLEARED_WITH_CONDITIONS,
        occurred_on=d(2024, 12, 5),
        source_url=case,
        outcome=Outcome.CLEARED_WITH_REMEDIES,
    )

    assert stop.review.next_deadline is None
    assert history(review) == [
        ("phase_1", S.MET, d(2024, 1, 26), d(2024, 3, 22), d(2024, 3, 22)),
        ("phase_2", S.SUPERSEDED, d(2024, 4, 4), d(2024, 9, 18), d(2024, 5, 10)),
        ("phase_2", S.SUPERSEDED, d(2024, 4, 4), None, d(2024, 6, 3)),
        ("phase_2", S.SUPERSEDED, d(2024, 4, 4), d(2024, 10, 12), d(2024, 8, 2)),
        ("phase_2", S.MET, d(2024, 4, 4), d(2024, 12, 7), d(2024, 12, 5)),
    ]
    published = list(
        DeadlinePeriod.objects.filter(review=review)
        .order_by("id")
        .values_list("published_due_on", flat=True)
    )
    assert published == [None, d(2024, 9, 18), None, None, d(2024, 12, 7)]
    assert titles(review) == [
        "CMA: Phase 1 deadline set to 2024-03-22: 40 working days from the launch notice on 2024-01-26 "
        "(Enterprise Act 2002 s.34ZA(3))",
        "CMA: Phase 1 deadline met: decision on 2024-03-22 (SLC decision: the duty to refer applies), due 2024-03-22",
        "CMA: Phase 2 deadline set to 2024-09-18: 24 weeks from the phase 2 reference on 2024-04-04 "
        "(Enterprise Act 2002 s.38(1), s.39(1))",
        "CMA: Phase 2 deadline published by CMA as 2024-09-18, as counted here",
        "CMA: Phase 2 deadline 2024-09-18 suspended: clock stopped since 2024-05-10 "
        "(s.39(4): CK Hutchison did not comply with the s.109 notice of 17 April 2024)",
        "CMA: Phase 2 deadline moved from 2024-09-18 to 2024-10-12: clock stopped 2024-05-10 to 2024-06-03 "
        "(s.39(4): CK Hutchison did not comply with the s.109 notice of 17 April 2024)",
        "CMA: Phase 2 deadline moved from 2024-10-12 to 2024-12-07: extended by 8 weeks on 2024-08-02 "
        "(s.39(3): special reasons)",
        "CMA: Phase 2 deadline published by CMA as 2024-12-07, as counted here",
        "CMA: Phase 2 deadline met: decision on 2024-12-05 (cleared with conditions), due 2024-12-07",
    ]
    deadline_events = Event.objects.filter(review=review, kind=EventKind.DEADLINE)
    assert set(deadline_events.values_list("deal", flat=True)) == {None}
    review.refresh_from_db()
    assert (review.status, review.next_deadline, review.deadline_phase) == (
        ReviewStatus.CLEARED_WITH_CONDITIONS,
        None,
        "",
    )


@pytest.mark.parametrize("status", [ReviewStatus.MONITORING, ReviewStatus.PRE_NOTIFICATION])
def test_an_opening_date_is_no_clock_in_a_status_without_one(status):
    review = ReviewFactory(regulator=regulator("cma"), status=status, opened_on=d(2024, 3, 4))
    change = deadlines.open_in_phase(review_id=review.pk, opened_on=d(2024, 3, 4))
    assert (change.period, change.event) == (None, None)
    assert not DeadlinePeriod.objects.exists()
    with pytest.raises(ValidationError) as exc:
        deadlines.open_in_phase(review_id=review.pk, started_on=d(2024, 3, 4))
    assert exc.value.message_dict["clock_started_on"] == [
        f"No statutory clock runs for CMA in status {review.get_status_display()}; "
        "leave the clock fields empty."
    ]


def test_an_opening_date_starts_the_clock_where_one_runs():
    review = ReviewFactory(
        regulator=regulator("cma"), status=ReviewStatus.PHASE_1, opened_on=d(2024, 8, 8)
    )
    change = deadlines.open_in_phase(review_id=review.pk, opened_on=d(2024, 8, 8))
    assert (change.period.clock_started_on, change.period.due_on) == (d(2024, 8, 8), d(2024, 10, 4))
