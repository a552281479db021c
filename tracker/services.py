"""Writes that change a review's state. Everything that moves a status comes here."""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .choices import (
    OFFICIAL_SOURCES,
    DatePrecision,
    DealRole,
    EventKind,
    Outcome,
    ReviewStatus,
    SourceType,
)
from .deadline_writes import AT_ONCE, Replay, Writes
from .deadlines import apply_phase_deadline
from .labels import status_label
from .lifecycle import (
    CLOSED_STATUSES,
    FORMAL_STATUSES,
    KEEPS_OUTCOME,
    allowed_outcomes,
    allowed_targets,
    can_transition,
    default_outcome,
)
from .models import DeadlinePeriod, Deal, Event, Review, ReviewDeal
from .signals import event_recorded


class TransitionNotAllowed(Exception):
    """A move the lifecycle forbids; the message names both statuses."""

    def __init__(self, review: Review, from_status: str, to_status: str):
        self.review = review
        self.from_status = from_status
        self.to_status = to_status
        allowed = (
            ", ".join(sorted(ReviewStatus(s).label for s in allowed_targets(from_status))) or "none"
        )
        # The status as readers see it: a closed proceeding with its outcome.
        current = status_label(from_status, review.outcome)
        super().__init__(
            f"A review cannot move from '{current}' ({from_status}) "
            f"to '{ReviewStatus(to_status).label}' ({to_status}). Allowed from here: {allowed}."
        )


@dataclass(frozen=True)
class TransitionResult:
    review: Review
    event: Event


@dataclass(frozen=True)
class Move:
    """One status change, as a regulator's or court's page records it."""

    to_status: str
    occurred_on: datetime.date
    title: str = ""
    note: str = ""
    source_url: str = ""
    source_title: str = ""
    source_type: str = SourceType.REGULATOR
    stage: str | None = None
    outcome: str | None = None
    outcome_wording: str | None = None


def transition_review(
    *,
    review_id: int,
    to_status: str,
    occurred_on: datetime.date,
    title: str = "",
    note: str = "",
    source_url: str = "",
    source_title: str = "",
    source_type: str = SourceType.REGULATOR,
    stage: str | None = None,
    outcome: str | None = None,
    outcome_wording: str | None = None,
    user=None,
    precondition: Callable[[Review], None] | None = None,
    notify: bool = True,
) -> TransitionResult:
    """Move a review to `to_status` and write its status-change event, atomically.

    The review row is locked for the duration, so two concurrent calls serialise: the
    second sees the first's result and is checked against it. `precondition`, if given,
    is called with the locked review before anything else (an API's If-Match check) and
    aborts the transition by raising. `notify=False` records a change as history: listeners
    are told it is not news, and no immediate notice goes out.
    """
    move = _checked(
        Move(
            to_status=to_status,
            occurred_on=occurred_on,
            title=title,
            note=note,
            source_url=source_url,
            source_title=source_title,
            source_type=source_type,
            stage=stage,
            outcome=outcome,
            outcome_wording=outcome_wording,
        )
    )
    with transaction.atomic():
        review = (
            Review.objects.select_for_update(of=("self",))
            .select_related("deal", "regulator")
            .get(pk=review_id)
        )
        if precondition is not None:
            precondition(review)
        event, fields = _make_move(review, move, user=user)
        if user is not None:
            review._history_user = user
        review.save(update_fields=fields)
        event.save()
        event_recorded.send(sender=Review, event=event, notify=notify)
    return TransitionResult(review=review, event=event)


def record_event(event: Event, *, history: bool = False, user=None) -> Event:
    """Save a new event of any kind but a status change (a decision, a filing, a court event;
    from the admin, the API or an import) and announce it, as the transition service announces
    a status change: its followers' deliveries are written in the same transaction and handed
    to workers after commit. `history` (or an event already `recorded_as_history`) records a
    back-filled past: on the timeline, never announced."""
    if event.pk is not None:
        raise ValueError("record_event saves a new event; an edit of a recorded one is no news.")
    if event.kind == EventKind.STATUS_CHANGE:
        raise ValueError("Status-change events are written by transition_review only.")
    if history:
        event.recorded_as_history = True
    if user is not None and event.created_by_id is None:
        event.created_by = user
    with transaction.atomic():
        event.save()
        announce(event)
    return event


def record_events(events: Sequence[Event]) -> list[Event]:
    """Save new events (unsaved, none a status change) in one insert and announce each one
    that is news (see `record_event`); those `recorded_as_history` are recorded only."""
    if any(event.kind == EventKind.STATUS_CHANGE for event in events):
        raise ValueError("Status-change events are written by transition_review only.")
    with transaction.atomic():
        saved = bulk_create_with_history(list(events), Event)
        for event in saved:
            announce(event)
    return saved


def announce(event: Event) -> None:
    """Tell the listeners of the core's extension point that `event` (saved) is recorded, inside
    the caller's transaction; history is told as such, and not announced to subscribers."""
    event_recorded.send(sender=Event, event=event, notify=not event.recorded_as_history)


def create_with_past(
    review: Review,
    moves: Sequence[Move],
    *,
    recorded_as_history: bool = False,
    entries: Callable[[list[Event]], list[Event]] | None = None,
) -> list[Event]:
    """Save a new review (unsaved, as it would be created) with its past as history: a registry's
    case seen for the first time. The moves are checked and applied one by one as
    `transition_review` does, in memory, then written in a few bulk inserts: the review, its
    deadline periods, its events and its history records are what creating it and that many
    calls of `transition_review(notify=False)` would leave. Returns the events written, in
    order; nothing is written when a move is refused. `recorded_as_history` marks the events
    as a registry's past from the start (on the timeline, not news for digests or feeds).
    `entries`, given the moves' events (unsaved), returns further events of the review's past
    (unsaved, on the review), written in the same inserts after them.
    """
    if review.pk is not None:
        raise ValueError(
            "create_with_past saves a new review; moves of a saved one go through transition_review."
        )
    moves = [_checked(move) for move in moves]
    writes = Replay()
    versions = [copy.copy(review)]  # as created, then after each move
    for move in moves:
        event, _ = _make_move(review, move, writes=writes)
        writes.event(event)
        versions.append(copy.copy(review))
    review.skip_history_when_saving = True  # its versions are recorded below, all of them
    try:
        review.save()
    finally:
        del review.skip_history_when_saving
    for version in versions:
        version.pk, version.created_at = review.pk, review.created_at
    # One history record for the creation and one per move, as a save per move leaves them.
    history = Review.history
    history.bulk_history_create(versions[:1], default_change_reason=None)
    history.bulk_history_create(versions[1:], update=True, default_change_reason=None)
    DeadlinePeriod.objects.bulk_create(writes.periods)
    events = writes.events + (entries(list(writes.events)) if entries else [])
    for event in events:  # the status changes', the deadlines' they set and the entries
        event.recorded_as_history = recorded_as_history
    bulk_create_with_history(events, Event)
    for event in writes.events:
        if event.kind == EventKind.STATUS_CHANGE:
            event_recorded.send(sender=Review, event=event, notify=False)
    return events


def _checked(move: Move) -> Move:
    """The move with its outcome settled, refused (before the review is read) when its status,
    source or outcome is not one a status change can have."""
    if move.to_status not in ReviewStatus.values:
        raise ValueError(f"Unknown status {move.to_status!r}.")
    check_official_source(move.source_url, move.source_type)
    return replace(move, outcome=closing_outcome(move.to_status, move.outcome))


def _make_move(
    review: Review, move: Move, *, user=None, writes: Writes = AT_ONCE
) -> tuple[Event, list[str]]:
    """Check `move` against the review's status and dates and apply it to the review in memory,
    its deadline periods through `writes`; returns the status-change event (unsaved) and the
    review's fields to save."""
    to_status, occurred_on, outcome = move.to_status, move.occurred_on, move.outcome
    from_status = review.status
    if not can_transition(from_status, to_status):
        raise TransitionNotAllowed(review, from_status, to_status)

    # A status change records what a regulator did; one day of slack for time zones.
    if occurred_on > timezone.localdate() + datetime.timedelta(days=1):
        raise ValidationError(
            {
                "occurred_on": f"A status change cannot be dated in the future ({occurred_on.isoformat()})."
            }
        )
    if review.opened_on and occurred_on < review.opened_on:
        raise ValidationError(
            {
                "occurred_on": f"The status change cannot predate the review's opening on {review.opened_on}."
            }
        )

    from_label = review.status_label
    review.status = to_status
    review.status_changed_at = changed_at(occurred_on)
    # The regulator's stage wording belongs to the status it described: the move gives the new
    # one, or clears it ("appeals pending" is no wording for a closed case).
    review.stage = move.stage or ""
    if outcome is not None:
        review.outcome = outcome
    elif to_status not in KEEPS_OUTCOME:
        review.outcome = ""
    if move.outcome_wording is not None:
        review.outcome_wording = move.outcome_wording
    elif to_status not in CLOSED_STATUSES and to_status not in KEEPS_OUTCOME:
        review.outcome_wording = ""
    if to_status in CLOSED_STATUSES:
        review.closed_on, review.closed_precision = occurred_on, DatePrecision.DAY
    else:
        review.closed_on, review.closed_precision = None, DatePrecision.DAY
        if review.opened_on is None and to_status != ReviewStatus.MONITORING:
            review.opened_on, review.opened_precision = occurred_on, DatePrecision.DAY
        if review.formally_opened_on is None and to_status in FORMAL_STATUSES:
            review.formally_opened_on = occurred_on
    # Entering a phase with statutory rules starts its clock; closing clears it.
    deadline_fields = apply_phase_deadline(
        review,
        to_status,
        occurred_on,
        source_url=move.source_url,
        source_title=move.source_title,
        source_type=move.source_type,
        user=user,
        writes=writes,
    )
    # The change is the proceeding's: no deal of its own, so it shows on every deal covered.
    event = Event(
        deal=None,
        review=review,
        kind=EventKind.STATUS_CHANGE,
        occurred_on=occurred_on,
        title=move.title or f"{review.regulator.short_name}: {from_label} → {review.status_label}",
        body=move.note,
        source_url=move.source_url,
        source_title=move.source_title,
        source_type=move.source_type,
        source_read_on=timezone.localdate(),
        from_status=from_status,
        to_status=to_status,
        created_by=user,
    )
    fields = [
        "status",
        "status_changed_at",
        "stage",
        "outcome",
        "outcome_wording",
        "closed_on",
        "closed_precision",
        "opened_on",
        "opened_precision",
        "formally_opened_on",
        "updated_at",
    ]
    return event, [*fields, *deadline_fields]


def changed_at(occurred_on: datetime.date) -> datetime.datetime:
    """When a status change dated `occurred_on` happened: now when it is today's, otherwise
    the start of its day (a change recorded late, or replayed from history, happened then,
    not when it was typed in)."""
    now = timezone.now()
    if occurred_on >= timezone.localdate(now):
        return now
    return timezone.make_aware(datetime.datetime.combine(occurred_on, datetime.time.min))


def check_official_source(source_url: str, source_type: str) -> None:
    """A status change or decision records what a regulator or court did: it cites one."""
    if not source_url:
        raise ValidationError(
            {"source_url": "A status change needs the regulator's or court's page as its source."}
        )
    if source_type not in OFFICIAL_SOURCES:
        raise ValidationError(
            {
                "source_type": (
                    "A status change is sourced from a regulator or a court, not "
                    f"{source_type or 'nothing'!r}."
                )
            }
        )


def closing_outcome(to_status: str, outcome: str | None) -> str | None:
    """The outcome a move records: the one given, checked against the status, or the one the
    status implies; None leaves it to the status (kept under appeal, cleared otherwise)."""
    if outcome in (None, ""):
        return default_outcome(to_status) or (None if outcome is None else "")
    if outcome not in Outcome.values:
        raise ValidationError(
            {"outcome": f"Unknown outcome {outcome!r}. Use one of: {', '.join(Outcome.values)}."}
        )
    allowed = allowed_outcomes(to_status)
    if outcome not in allowed:
        label = ReviewStatus(to_status).label
        raise ValidationError(
            {
                "outcome": f"A move to '{label}' cannot record the outcome {outcome!r}"
                + (
                    f"; use one of: {', '.join(allowed)}."
                    if allowed
                    else ": an open proceeding has no outcome yet."
                )
            }
        )
    return outcome


@transaction.atomic
def link_deal(review: Review, deal: Deal, role: str = DealRole.REVIEWS) -> bool:
    """Link `review` to `deal` too, in `role` (it reviews, covers, reaches or is related to
    it); True when the link is new. Its proceeding-wide events show on the deal's timeline
    from now on."""
    _, created = ReviewDeal.objects.update_or_create(
        review=review, deal=deal, defaults={"role": role}
    )
    return created


@transaction.atomic
def unlink_deal(review: Review, deal: Deal) -> None:
    if deal.pk == review.deal_id:
        raise ValidationError(
            {"deals": "The lead deal stays covered; make another deal the lead first."}
        )
    ReviewDeal.objects.filter(review=review, deal=deal).delete()
