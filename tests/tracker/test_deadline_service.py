"""A review's deadline: computed on entering a phase, moved by clock stops and extensions."""

import datetime
import threading

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from regulators.choices import Calendar
from tests.factories import RegulatorFactory, ReviewFactory
from tracker import deadlines
from tracker.choices import DeadlineKind, EventKind, ReviewStatus
from tracker.models import ClockStop, DeadlineExtension, Event, Review
from tracker.services import transition_review

pytestmark = pytest.mark.django_db
d = datetime.date
SOURCE = "https://www.gov.uk/cma-cases/x"


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


def review_in(slug, status, on):
    review = ReviewFactory(
        regulator=regulator(slug), status=ReviewStatus.MONITORING, opened_on=None
    )
    transition_review(review_id=review.pk, to_status=status, occurred_on=on, source_url=SOURCE)
    return Review.objects.get(pk=review.pk)


def deadline_events(review):
    return list(Event.objects.filter(review=review, kind=EventKind.DEADLINE).order_by("id"))


def test_entering_cma_phase_1_computes_the_statutory_deadline():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    assert review.next_deadline == d(2024, 10, 4)
    assert review.deadline_kind == DeadlineKind.STATUTORY
    assert (review.deadline_phase, review.clock_started_on) == ("phase_1", d(2024, 8, 8))
    assert "s.34ZA" in review.deadline_basis
    # The phase entry writes the deadline event of the proceeding beside the status change.
    assert [e.title for e in deadline_events(review)] == [
        "CMA: Phase 1 deadline set to 2024-10-04: 40 working days from the launch notice on 2024-08-08 "
        "(Enterprise Act 2002 s.34ZA(3))"
    ]
    assert deadline_events(review)[0].deal is None


def test_entering_ec_phase_1_on_partly_checked_holiday_data_is_provisional():
    review = review_in("ec", ReviewStatus.PHASE_1, d(2024, 11, 15))
    assert review.next_deadline == d(2024, 12, 20)
    assert review.deadline_kind == DeadlineKind.PROVISIONAL
    assert "Provisional:" in review.deadline_basis


def test_regulator_without_rules_gets_no_deadline():
    review = review_in("bkarta", ReviewStatus.PHASE_1, d(2024, 8, 8))
    assert (review.next_deadline, review.deadline_kind, review.deadline_phase) == (None, "", "")


@time_machine.travel(
    datetime.datetime(2028, 2, 2, 12, tzinfo=datetime.UTC)
)  # status changes are never future-dated
def test_a_year_without_holiday_data_never_blocks_a_status_change():
    review = review_in("ec", ReviewStatus.PHASE_1, d(2028, 2, 1))
    assert review.status == ReviewStatus.PHASE_1
    assert review.next_deadline is None
    assert "cannot count working days in 2028" in review.deadline_basis


def test_moving_to_phase_2_restarts_the_clock_and_closing_clears_it():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2022, 7, 20))
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=d(2022, 9, 15),
        source_url=SOURCE,
    )
    review.refresh_from_db()
    assert (review.deadline_phase, review.next_deadline) == ("phase_2", d(2023, 3, 1))
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.CLEARED,
        occurred_on=d(2023, 2, 1),
        source_url=SOURCE,
    )
    review.refresh_from_db()
    assert (
        review.next_deadline,
        review.deadline_kind,
        review.deadline_phase,
        review.clock_started_on,
    ) == (
        None,
        "",
        "",
        None,
    )


def test_hsr_second_request_waits_for_substantial_compliance():
    review = review_in("ftc", ReviewStatus.PHASE_1, d(2024, 6, 7))
    assert review.next_deadline == d(2024, 7, 8)
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=d(2024, 7, 8),
        source_url=SOURCE,
    )
    review.refresh_from_db()
    assert (review.deadline_phase, review.next_deadline) == ("hsr_second_request", None)
    assert "substantial compliance" in review.deadline_basis

    change = deadlines.set_clock(
        review_id=review.pk, started_on=d(2024, 11, 1), source_url="https://example.org/sc"
    )
    review.refresh_from_db()
    assert review.next_deadline == d(2024, 12, 2)
    assert change.event.title == (
        "FTC: HSR second-request waiting period deadline set to 2024-12-02: "
        "substantial compliance with the second request on 2024-11-01"
    )
    assert change.event.occurred_on == d(2024, 11, 1)


def test_variant_shortens_the_hsr_period():
    review = review_in("ftc", ReviewStatus.PHASE_1, d(2024, 6, 7))
    change = deadlines.set_clock(
        review_id=review.pk, started_on=d(2024, 6, 7), variant="cash_tender"
    )
    assert change.review.next_deadline == d(2024, 6, 24)
    assert (
        "moved from 2024-07-08 to 2024-06-24" in change.event.title
        and "cash tender offer" in change.event.title
    )


def test_stopping_and_restarting_the_clock_moves_the_deadline_and_says_why():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    stopped = deadlines.stop_clock(
        review_id=review.pk,
        stopped_on=d(2024, 9, 2),
        reason="information request",
        source_url="https://example.org/s109",
    )
    assert stopped.review.next_deadline is None and stopped.review.deadline_kind == ""
    assert stopped.event.title == (
        "CMA: Phase 1 deadline 2024-10-04 suspended: clock stopped since 2024-09-02 (information request)"
    )
    assert stopped.event.source_url == "https://example.org/s109"

    stop = ClockStop.objects.get(review=review)
    assert stop.phase == "phase_1"
    restarted = deadlines.restart_clock(clock_stop_id=stop.pk, restarted_on=d(2024, 9, 9))
    assert restarted.review.next_deadline == d(2024, 10, 11)
    assert restarted.review.deadline_kind == DeadlineKind.STATUTORY
    assert restarted.event.title == (
        "CMA: Phase 1 deadline moved from 2024-10-04 to 2024-10-11: "
        "clock stopped 2024-09-02 to 2024-09-09 (information request)"
    )
    assert restarted.event.occurred_on == d(2024, 9, 9)
    assert "clock stopped 2024-09-02 to 2024-09-09" in restarted.review.deadline_basis


def test_a_stop_recorded_with_both_dates_moves_the_deadline_at_once():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    change = deadlines.stop_clock(
        review_id=review.pk,
        stopped_on=d(2024, 9, 2),
        restarted_on=d(2024, 9, 9),
        reason="information request",
    )
    assert change.event.title == (
        "CMA: Phase 1 deadline moved from 2024-10-04 to 2024-10-11: "
        "clock stopped 2024-09-02 to 2024-09-09 (information request)"
    )
    removed = deadlines.remove_clock_stop(clock_stop_id=ClockStop.objects.get().pk)
    assert removed.review.next_deadline == d(2024, 10, 4)
    assert (
        "moved from 2024-10-11 to 2024-10-04" in removed.event.title
        and "removed" in removed.event.title
    )
    assert not ClockStop.objects.exists()


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"stopped_on": d(2024, 9, 9), "restarted_on": d(2024, 9, 2)}, "restarted_on"),
        ({"stopped_on": d(2024, 8, 1)}, "stopped_on"),
        ({"stopped_on": d(2024, 12, 1)}, "stopped_on"),
        ({"stopped_on": d(2024, 9, 2), "reason": " "}, "reason"),
        ({"stopped_on": d(2024, 9, 2), "source_url": "not a url"}, "source_url"),
    ],
)
def test_refused_stop_names_the_field_and_writes_nothing(kwargs, field):
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    with pytest.raises(ValidationError) as exc:
        deadlines.stop_clock(review_id=review.pk, **{"reason": "information request", **kwargs})
    assert field in exc.value.message_dict
    assert not ClockStop.objects.exists()
    assert len(deadline_events(review)) == 1  # the phase entry's only
    review.refresh_from_db()
    assert review.next_deadline == d(2024, 10, 4)


def test_overlapping_stop_is_refused():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    deadlines.stop_clock(review_id=review.pk, stopped_on=d(2024, 9, 2), reason="first")
    with pytest.raises(ValidationError, match="overlap"):
        deadlines.stop_clock(review_id=review.pk, stopped_on=d(2024, 9, 20), reason="second")
    assert ClockStop.objects.count() == 1


def test_clock_cannot_stop_without_a_running_clock_or_in_an_hsr_period():
    review = review_in("bkarta", ReviewStatus.PHASE_1, d(2024, 8, 8))
    with pytest.raises(ValidationError) as exc:
        deadlines.stop_clock(review_id=review.pk, stopped_on=d(2024, 9, 2), reason="x")
    assert "no statutory clock running" in exc.value.message_dict["review"][0]
    hsr = review_in("ftc", ReviewStatus.PHASE_1, d(2024, 6, 7))
    with pytest.raises(ValidationError, match="pull-and-refile"):
        deadlines.stop_clock(review_id=hsr.pk, stopped_on=d(2024, 6, 10), reason="x")


def test_cma_phase_2_extension_once_by_up_to_8_weeks():
    review = review_in("cma", ReviewStatus.PHASE_2, d(2022, 9, 15))
    assert review.next_deadline == d(2023, 3, 1)
    change = deadlines.extend_deadline(
        review_id=review.pk,
        length=8,
        granted_on=d(2023, 2, 22),
        reason="special reasons",
        source_url="https://example.org/extension",
    )
    assert change.review.next_deadline == d(2023, 4, 26)
    assert change.event.title == (
        "CMA: Phase 2 deadline moved from 2023-03-01 to 2023-04-26: extended by 8 weeks on 2023-02-22 (special reasons)"
    )
    with pytest.raises(ValidationError) as exc:
        deadlines.extend_deadline(
            review_id=review.pk, length=1, granted_on=d(2023, 3, 1), reason="again"
        )
    assert "8 weeks at most (got 9)" in exc.value.message_dict["length"][0]
    assert DeadlineExtension.objects.count() == 1

    removed = deadlines.remove_extension(extension_id=DeadlineExtension.objects.get().pk)
    assert removed.review.next_deadline == d(2023, 3, 1)
    deadlines.extend_deadline(
        review_id=review.pk, length=4, granted_on=d(2023, 2, 22), reason="special reasons"
    )
    with pytest.raises(ValidationError, match="once only"):
        deadlines.extend_deadline(
            review_id=review.pk, length=2, granted_on=d(2023, 3, 1), reason="again"
        )


def test_ec_phase_2_extensions_add_up_to_20_working_days():
    review = review_in("ec", ReviewStatus.PHASE_2, d(2023, 1, 10))
    first = deadlines.extend_deadline(
        review_id=review.pk, length=10, granted_on=d(2023, 2, 1), reason="parties' request"
    )
    second = deadlines.extend_deadline(
        review_id=review.pk, length=10, granted_on=d(2023, 3, 1), reason="agreed"
    )
    assert first.review.next_deadline < second.review.next_deadline
    with pytest.raises(ValidationError, match="20 working days at most"):
        deadlines.extend_deadline(
            review_id=review.pk, length=1, granted_on=d(2023, 3, 2), reason="more"
        )


def test_phase_1_cannot_be_extended():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    with pytest.raises(ValidationError) as exc:
        deadlines.extend_deadline(
            review_id=review.pk, length=2, granted_on=d(2024, 9, 1), reason="x"
        )
    assert "no extension" in exc.value.message_dict["length"][0]


def test_deadline_set_by_hand_is_marked_and_recorded():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    change = deadlines.set_deadline_by_hand(
        review_id=review.pk, next_deadline=d(2024, 10, 7), note="per CMA page"
    )
    assert change.review.deadline_kind == DeadlineKind.MANUAL
    assert (
        change.event.title
        == "CMA: Phase 1 deadline moved from 2024-10-04 to 2024-10-07: set by hand (per CMA page)"
    )
    with pytest.raises(ValidationError):
        deadlines.set_deadline_by_hand(
            review_id=review.pk, next_deadline=d(2024, 10, 7), kind=DeadlineKind.STATUTORY
        )


def test_an_older_phases_stops_do_not_move_the_new_phase():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2022, 7, 20))
    deadlines.stop_clock(
        review_id=review.pk, stopped_on=d(2022, 8, 1), restarted_on=d(2022, 8, 8), reason="s.109"
    )
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=d(2022, 9, 15),
        source_url=SOURCE,
    )
    review.refresh_from_db()
    assert review.next_deadline == d(2023, 3, 1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_stops_serialise_on_the_review_lock():
    review = review_in("cma", ReviewStatus.PHASE_1, d(2024, 8, 8))
    results, barrier = {}, threading.Barrier(2)

    def stop(name, day):
        barrier.wait()
        try:
            deadlines.stop_clock(review_id=review.pk, stopped_on=day, reason=name)
            results[name] = "ok"
        except ValidationError as exc:
            results[name] = str(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=stop, args=(n, day))
        for n, day in [("a", d(2024, 9, 2)), ("b", d(2024, 9, 16))]
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # Both are open stops: whichever came second saw the first and was refused as overlapping.
    assert sorted(results.values())[0] == "ok" and "overlap" in sorted(results.values())[1]
    assert ClockStop.objects.count() == 1
    assert len(deadline_events(review)) == 2  # the phase entry's and the stop's


def test_back_in_phase_2_after_remedies_starts_a_fresh_period():
    review = review_in("cma", ReviewStatus.PHASE_2, d(2022, 9, 15))
    deadlines.extend_deadline(
        review_id=review.pk, length=8, granted_on=d(2023, 2, 22), reason="special reasons"
    )
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.REMEDIES,
        occurred_on=d(2023, 4, 26),
        source_url=SOURCE,
    )
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=d(2023, 6, 1),
        source_url=SOURCE,
    )
    review.refresh_from_db()
    assert review.next_deadline == d(2023, 6, 1) + datetime.timedelta(weeks=24, days=-1)
    assert review.deadline_kind == DeadlineKind.STATUTORY


def test_nothing_moves_a_period_that_has_not_started():
    review = review_in("ftc", ReviewStatus.PHASE_1, d(2024, 6, 7))
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=d(2024, 7, 8),
        source_url=SOURCE,
    )
    with pytest.raises(ValidationError, match="record the substantial compliance"):
        deadlines.stop_clock(review_id=review.pk, stopped_on=d(2024, 8, 1), reason="x")
    with pytest.raises(ValidationError, match="has not started"):
        deadlines.extend_deadline(
            review_id=review.pk, length=1, granted_on=d(2024, 8, 1), reason="x"
        )
    assert not ClockStop.objects.exists() and not DeadlineExtension.objects.exists()
