import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from tests.factories import SOURCE_URL, ReviewFactory, UserFactory
from tracker.choices import EventKind, Outcome, ReviewStatus
from tracker.lifecycle import ALLOWED_TRANSITIONS, CLOSED_STATUSES, OPEN_STATUSES
from tracker.models import Event, Review
from tracker.services import TransitionNotAllowed, transition_review
from tracker.signals import event_recorded

ALLOWED = sorted((src, dst) for src, targets in ALLOWED_TRANSITIONS.items() for dst in targets)
FORBIDDEN = sorted(
    (src, dst)
    for src in ReviewStatus.values
    for dst in ReviewStatus.values
    if dst not in ALLOWED_TRANSITIONS[src]
)
DAY = datetime.date(2024, 9, 4)


def test_lifecycle_table_covers_every_status_and_splits_open_from_closed():
    assert set(ALLOWED_TRANSITIONS) == set(ReviewStatus.values)
    assert OPEN_STATUSES | CLOSED_STATUSES == set(ReviewStatus.values)
    assert not OPEN_STATUSES & CLOSED_STATUSES
    for src, targets in ALLOWED_TRANSITIONS.items():
        assert src not in targets, f"{src} must not move to itself"


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_every_allowed_transition_updates_status_and_writes_the_event(from_status, to_status):
    review = ReviewFactory(status=from_status)
    user = UserFactory()
    result = transition_review(
        review_id=review.pk,
        to_status=to_status,
        occurred_on=DAY,
        source_url="https://example.org/d",
        user=user,
    )
    review.refresh_from_db()
    assert review.status == to_status
    assert review.status_changed_at is not None
    assert review.closed_on == (DAY if to_status in CLOSED_STATUSES else None)
    event = Event.objects.get(review=review, kind=EventKind.STATUS_CHANGE)
    assert event == result.event
    assert (event.from_status, event.to_status, event.occurred_on) == (from_status, to_status, DAY)
    assert event.deal_id is None  # the proceeding's own: on every covered deal's timeline
    assert list(Event.objects.on_timeline_of(review.deal)) == [event]
    assert event.source_url == "https://example.org/d"
    assert event.created_by == user
    assert review.history.first().history_user == user


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), FORBIDDEN)
def test_every_forbidden_transition_is_refused_naming_both_statuses(from_status, to_status):
    review = ReviewFactory(status=from_status)
    before = Review.objects.get(pk=review.pk)
    with pytest.raises(TransitionNotAllowed) as exc:
        transition_review(
            source_url=SOURCE_URL, review_id=review.pk, to_status=to_status, occurred_on=DAY
        )
    assert f"({from_status})" in str(exc.value) and f"({to_status})" in str(exc.value)
    after = Review.objects.get(pk=review.pk)
    assert (after.status, after.updated_at) == (before.status, before.updated_at)
    assert not Event.objects.filter(review=review).exists()


@pytest.mark.django_db
def test_transition_keeps_stage_and_outcome_when_given():
    review = ReviewFactory(status=ReviewStatus.PHASE_1, stage="Phase 1")
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.CLEARED,
        occurred_on=DAY,
        source_url=SOURCE_URL,
        stage="Decision",
        outcome_wording="No SLC",
    )
    review.refresh_from_db()
    assert (review.stage, review.outcome, review.outcome_wording) == (
        "Decision",
        Outcome.CLEARED,
        "No SLC",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("outcome", "message"),
    [("waved through", "Unknown outcome"), (Outcome.PROHIBITED, "cannot record the outcome")],
)
def test_an_unknown_or_mismatched_outcome_is_refused_naming_the_field(outcome, message):
    review = ReviewFactory(status=ReviewStatus.PHASE_1)
    with pytest.raises(ValidationError, match=message) as caught:
        transition_review(
            review_id=review.pk,
            to_status=ReviewStatus.CLEARED,
            occurred_on=DAY,
            source_url=SOURCE_URL,
            outcome=outcome,
        )
    assert "outcome" in caught.value.message_dict
    review.refresh_from_db()
    assert review.status == ReviewStatus.PHASE_1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "field"),
    [({}, "source_url"), ({"source_url": SOURCE_URL, "source_type": "press"}, "source_type")],
)
def test_a_status_change_without_a_regulator_or_court_source_is_refused(source, field):
    review = ReviewFactory(status=ReviewStatus.PHASE_1)
    with pytest.raises(ValidationError) as caught:
        transition_review(
            review_id=review.pk, to_status=ReviewStatus.PHASE_2, occurred_on=DAY, **source
        )
    assert field in caught.value.message_dict
    assert not Event.objects.filter(review=review).exists()


@pytest.mark.django_db
def test_an_appeal_keeps_the_decision_under_appeal_and_a_remittal_clears_it():
    review = ReviewFactory(status=ReviewStatus.PHASE_2)
    move = dict(review_id=review.pk, occurred_on=DAY, source_url=SOURCE_URL)
    transition_review(to_status=ReviewStatus.PROHIBITED, outcome_wording="Prohibition", **move)
    transition_review(to_status=ReviewStatus.APPEAL, source_type="court", **move)
    review.refresh_from_db()
    assert (review.status, review.outcome, review.outcome_wording) == (
        "appeal",
        Outcome.PROHIBITED,
        "Prohibition",
    )
    transition_review(to_status=ReviewStatus.PHASE_2, source_type="court", **move)
    review.refresh_from_db()
    assert (review.status, review.outcome, review.outcome_wording, review.closed_on) == (
        "phase_2",
        "",
        "",
        None,
    )


@pytest.mark.django_db
def test_transition_sets_opened_on_when_a_monitored_case_opens():
    review = ReviewFactory(status=ReviewStatus.MONITORING, opened_on=None)
    transition_review(
        source_url=SOURCE_URL, review_id=review.pk, to_status=ReviewStatus.PHASE_1, occurred_on=DAY
    )
    review.refresh_from_db()
    assert review.opened_on == DAY


@pytest.mark.django_db
def test_transition_dated_before_opening_is_refused_and_writes_nothing():
    review = ReviewFactory(status=ReviewStatus.PHASE_1, opened_on=datetime.date(2024, 5, 1))
    with pytest.raises(ValidationError) as exc:
        transition_review(
            source_url=SOURCE_URL,
            review_id=review.pk,
            to_status=ReviewStatus.CLEARED,
            occurred_on=datetime.date(2024, 4, 1),
        )
    assert "occurred_on" in exc.value.message_dict
    review.refresh_from_db()
    assert review.status == ReviewStatus.PHASE_1
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_unknown_status_is_refused():
    review = ReviewFactory()
    with pytest.raises(ValueError):
        transition_review(
            source_url=SOURCE_URL, review_id=review.pk, to_status="approved-ish", occurred_on=DAY
        )


@pytest.mark.django_db
def test_failure_after_the_event_rolls_everything_back():
    review = ReviewFactory(status=ReviewStatus.PHASE_1)

    def explode(sender, event, **kwargs):
        raise RuntimeError("outbox unavailable")

    event_recorded.connect(explode, dispatch_uid="test-explode")
    try:
        with pytest.raises(RuntimeError):
            transition_review(
                source_url=SOURCE_URL,
                review_id=review.pk,
                to_status=ReviewStatus.PHASE_2,
                occurred_on=DAY,
            )
    finally:
        event_recorded.disconnect(dispatch_uid="test-explode")
    review.refresh_from_db()
    assert review.status == ReviewStatus.PHASE_1
    assert not Event.objects.exists()


@pytest.mark.django_db
def test_management_command_goes_through_the_service():
    review = ReviewFactory(status=ReviewStatus.PHASE_1)
    with pytest.raises(CommandError, match="source"):
        call_command("transition_review", str(review.pk), "phase_2", "--on", "2024-09-04")
    call_command(
        "transition_review",
        str(review.pk),
        "phase_2",
        "--on",
        "2024-09-04",
        "--source-url",
        SOURCE_URL,
    )
    assert Event.objects.get(review=review).to_status == ReviewStatus.PHASE_2
    with pytest.raises(CommandError, match=r"\(phase_2\).*\(monitoring\)"):
        call_command(
            "transition_review",
            str(review.pk),
            "monitoring",
            "--on",
            "2024-09-05",
            "--source-url",
            SOURCE_URL,
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transitions_leave_one_event_and_a_consistent_status():
    """Two workers race to move the same review; the row lock lets exactly one win."""
    review = ReviewFactory(status=ReviewStatus.PHASE_1)

    def slow_listener(sender, event, **kwargs):
        # Hold the transaction open so the second caller really waits on the lock.
        threading.Event().wait(0.3)

    event_recorded.connect(slow_listener, dispatch_uid="test-slow-listener")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def worker():
        barrier.wait()
        try:
            transition_review(
                source_url=SOURCE_URL,
                review_id=review.pk,
                to_status=ReviewStatus.PHASE_2,
                occurred_on=DAY,
            )
            outcomes.append("moved")
        except TransitionNotAllowed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
    finally:
        event_recorded.disconnect(dispatch_uid="test-slow-listener")
    assert sorted(outcomes) == ["moved", "refused"]
    review.refresh_from_db()
    assert review.status == ReviewStatus.PHASE_2
    events = Event.objects.filter(review=review, kind=EventKind.STATUS_CHANGE)
    assert [(e.from_status, e.to_status) for e in events] == [("phase_1", "phase_2")]


@pytest.mark.django_db
def test_transition_dated_in_the_future_is_refused_and_writes_nothing():
    review = ReviewFactory(status=ReviewStatus.PHASE_1, opened_on=datetime.date(2024, 5, 1))
    later = timezone.localdate() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        transition_review(
            source_url=SOURCE_URL,
            review_id=review.pk,
            to_status=ReviewStatus.CLEARED,
            occurred_on=later,
        )
    assert "in the future" in exc.value.message_dict["occurred_on"][0]
    review.refresh_from_db()
    assert review.status == ReviewStatus.PHASE_1
    assert not Event.objects.exists()
    # Tomorrow is still accepted: a regulator a time zone ahead may already be there.
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    transition_review(
        source_url=SOURCE_URL,
        review_id=review.pk,
        to_status=ReviewStatus.CLEARED,
        occurred_on=tomorrow,
    )


@pytest.mark.django_db
def test_a_referred_case_is_notified_and_runs_phase_1_before_any_in_depth_phase():
    # EUMR Art. 22 and 6(1)(c): the Commission opens phase 2 only from a phase 1 review.
    review = ReviewFactory(status=ReviewStatus.REFERRAL)
    user = UserFactory()
    with pytest.raises(TransitionNotAllowed):
        transition_review(
            review_id=review.pk,
            to_status=ReviewStatus.PHASE_2,
            occurred_on=DAY,
            source_url=SOURCE_URL,
            user=user,
        )
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_1,
        occurred_on=DAY,
        source_url=SOURCE_URL,
        user=user,
    )
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=DAY,
        source_url=SOURCE_URL,
        user=user,
    )
    review.refresh_from_db()
    assert review.status == ReviewStatus.PHASE_2
