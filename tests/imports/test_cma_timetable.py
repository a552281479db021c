"""The CMA's timetable notices go through the deadline service, and readers see the
deadline the CMA publishes, our count beside it as the cross-check."""

import datetime

import pytest
import time_machine

from imports.choices import ProposalKind
from imports.models import Proposal
from imports.records import CLOCK_EXTEND, CLOCK_RESTART, CLOCK_STOP
from imports.runner import run_import
from imports.sources.cma_timetable import clock_act
from tracker.choices import DeadlineKind, EventKind
from tracker.deadline_periods import current_period
from tracker.models import ClockStop, DeadlineExtension, Review

from .govuk import VODAFONE_PAGE, vodafone_three_in_phase_2

SEPTEMBER_2024 = datetime.datetime(2024, 9, 20, 9, 0, tzinfo=datetime.UTC)


def test_notices_are_read_as_the_acts_they_are():
    stop = clock_act(
        "Extension of the statutory timetable",
        "Extended under section 39(4): a party failed to comply with a s.109 notice.",
    )
    assert stop is not None and stop.action == CLOCK_STOP
    restart = clock_act(
        "Cancellation of extension notice", "The section 39(4) extension notice is cancelled."
    )
    assert restart is not None and restart.action == CLOCK_RESTART
    extend = clock_act(
        "Extension of the statutory timetable", "Extended by eight weeks under section 39(3)."
    )
    assert extend is not None and (extend.action, extend.length) == (CLOCK_EXTEND, 8)
    assert clock_act("Provisional findings", "The CMA published its provisional findings.") is None
    # An extension whose length the notice does not give: the published deadline says the rest.
    assert (
        clock_act("Extension", "The CMA extended the statutory timetable for special reasons.")
        is None
    )


@pytest.mark.django_db
def test_vodafone_three_counts_to_the_cmas_published_7_december_2024(registry):
    registry.cases = [vodafone_three_in_phase_2()]
    with time_machine.travel(SEPTEMBER_2024):
        run_import("cma")

    review = Review.objects.get(url=VODAFONE_PAGE)
    stop = ClockStop.objects.get(review=review)
    assert (stop.stopped_on, stop.restarted_on) == (
        datetime.date(2024, 5, 10),
        datetime.date(2024, 6, 3),
    )
    extension = DeadlineExtension.objects.get(review=review)
    assert (extension.granted_on, extension.length) == (datetime.date(2024, 8, 2), 8)
    # 24 weeks from 4 April end on 18 September; 24 days stopped, then 8 weeks: 7 December.
    assert current_period(review).due_on == datetime.date(2024, 12, 7)
    assert (review.next_deadline, review.deadline_kind) == (
        datetime.date(2024, 12, 7),
        DeadlineKind.PUBLISHED,
    )
    assert not Proposal.objects.filter(kind=ProposalKind.DEADLINE_DISAGREES).exists()
    # The acts are on the timeline as deadline events, sourced to the notices, and past: not news.
    acts = review.events.filter(kind=EventKind.DEADLINE, source_url__contains="/s39-")
    assert acts.count() == 3
    assert not acts.filter(recorded_as_history=False).exists()
    assert not review.events.filter(
        kind=EventKind.STATEMENT, title__startswith="Extension"
    ).exists()


@pytest.mark.django_db
def test_a_second_import_applies_no_notice_twice(registry):
    registry.cases = [vodafone_three_in_phase_2()]
    with time_machine.travel(SEPTEMBER_2024):
        run_import("cma")
        again = vodafone_three_in_phase_2()
        again.public_timestamp = "2024-09-19T10:00:00+00:00"  # listed as changed: fetched again
        registry.cases = [again]
        report = run_import("cma")
    assert report.run.updated + report.run.unchanged == 1

    review = Review.objects.get(url=VODAFONE_PAGE)
    assert ClockStop.objects.filter(review=review).count() == 1
    assert DeadlineExtension.objects.filter(review=review).count() == 1
    assert review.next_deadline == datetime.date(2024, 12, 7)


@pytest.mark.django_db
def test_a_published_deadline_our_count_misses_is_shown_and_goes_to_the_editors(registry):
    registry.cases = [vodafone_three_in_phase_2(with_notices=False)]
    with time_machine.travel(SEPTEMBER_2024):
        run_import("cma")

    review = Review.objects.get(url=VODAFONE_PAGE)
    assert current_period(review).due_on == datetime.date(2024, 9, 18)  # our 24-week count
    assert (review.next_deadline, review.deadline_kind) == (
        datetime.date(2024, 12, 7),
        DeadlineKind.PUBLISHED,
    )
    proposal = Proposal.objects.get(kind=ProposalKind.DEADLINE_DISAGREES)
    assert (proposal.current_value, proposal.proposed_value) == ("2024-09-18", "2024-12-07")


@pytest.mark.django_db
def test_the_api_gives_the_published_deadline_and_says_so(registry, client):
    registry.cases = [vodafone_three_in_phase_2()]
    with time_machine.travel(SEPTEMBER_2024):
        run_import("cma")
    review = Review.objects.get(url=VODAFONE_PAGE)

    body = client.get(f"/api/v1/reviews/{review.pk}/").json()

    assert (body["next_deadline"], body["deadline_kind"]) == ("2024-12-07", "published")


@pytest.mark.django_db
def test_the_proceeding_page_shows_the_published_deadline_and_our_count(registry, client):
    registry.cases = [vodafone_three_in_phase_2(with_notices=False)]
    with time_machine.travel(SEPTEMBER_2024):
        run_import("cma")
        review = Review.objects.get(url=VODAFONE_PAGE)
        html = client.get(review.get_absolute_url()).content.decode()

    assert (
        '<time datetime="2024-12-07">Saturday 7 December 2024</time> (published by the regulator)'
        in html
    )
    assert "Our count from the rules, the cross-check" in html
    assert "published: 7 Dec 2024" in html  # beside our 18 September in the period history
