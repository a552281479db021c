"""Writes that change a review's state. Everything that moves a status comes here."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .choices import OFFICIAL_SOURCES, EventKind, Outcome, ReviewStatus, SourceType
from .deadlines import apply_phase_deadline
from .lifecycle import CLOSED_STATUSES, KEEPS_OUTCOME, allowed_outcomes, allowed_targets, can_transition, default_outcome
from .models import Deal, Event, Review, ReviewDeal
from .signals import status_changed


class TransitionNotAllowed(Exception):
    """A move the lifecycle forbids; the message names both statuses."""

    def __init__(self, review: Review, from_status: str, to_status: str):
        self.review = review
        self.from_status = from_status
        self.to_status = to_status
        allowed = ", ".join(sorted(ReviewStatus(s).label for s in allowed_targets(from_status))) or "none"
        super().__init__(
            f"A review cannot move from '{ReviewStatus(from_status).label}' ({from_status}) "
            f"to '{ReviewStatus(to_status).label}' ({to_status}). Allowed from here: {allowed}."
        )


@dataclass(frozen=True)
class TransitionResult:
    review: Review
    event: Event


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
    aborts the transition by raising. `notify=False` records a change as history (a
    registry's past, imported for the first time): listeners are told it is not news, and
    no immediate notice goes out.
    """
    if to_status not in ReviewStatus.values:
        raise ValueError(f"Unknown status {to_status!r}.")
    check_official_source(source_url, source_type)
    outcome = closing_outcome(to_status, outcome)
    with transaction.atomic():
        review = Review.objects.select_for_update(of=("self",)).select_related("deal", "regulator").get(pk=review_id)
        if precondition is not None:
            precondition(review)
        from_status = review.status
        if not can_transition(from_status, to_status):
            raise TransitionNotAllowed(review, from_status, to_status)

        # A status change records what a regulator did; one day of slack for time zones.
        if occurred_on > timezone.localdate() + datetime.timedelta(days=1):
            raise ValidationError(
                {"occurred_on": f"A status change cannot be dated in the future ({occurred_on.isoformat()})."}
            )
        if review.opened_on and occurred_on < review.opened_on:
            raise ValidationError(
                {"occurred_on": f"The status change cannot predate the review's opening on {review.opened_on}."}
            )

        review.status = to_status
        review.status_changed_at = timezone.now()
        if stage is not None:
            review.stage = stage
        if outcome is not None:
            review.outcome = outcome
        elif to_status not in KEEPS_OUTCOME:
            review.outcome = ""
        if outcome_wording is not None:
            review.outcome_wording = outcome_wording
        elif to_status not in CLOSED_STATUSES and to_status not in KEEPS_OUTCOME:
            review.outcome_wording = ""
        if to_status in CLOSED_STATUSES:
            review.closed_on = occurred_on
        else:
            review.closed_on = None
            if review.opened_on is None and to_status != ReviewStatus.MONITORING:
                review.opened_on = occurred_on
        # Entering a phase with statutory rules starts its clock; closing clears it.
        deadline_fields = apply_phase_deadline(
            review, to_status, occurred_on,
            source_url=source_url, source_title=source_title, source_type=source_type, user=user,
        )
        if user is not None:
            review._history_user = user
        review.save(
            update_fields=[
                "status", "status_changed_at", "stage", "outcome", "outcome_wording", "closed_on", "opened_on", "updated_at",
                *deadline_fields,
            ]
        )

        # The change is the proceeding's: no deal of its own, so it shows on every deal covered.
        event = Event(
            deal=None,
            review=review,
            kind=EventKind.STATUS_CHANGE,
            occurred_on=occurred_on,
            title=title
            or f"{review.regulator.short_name}: {ReviewStatus(from_status).label} → {ReviewStatus(to_status).label}",
            body=note,
            source_url=source_url,
            source_title=source_title,
            source_type=source_type,
            source_read_on=timezone.localdate(),
            from_status=from_status,
            to_status=to_status,
            created_by=user,
        )
        event.save()
        status_changed.send(sender=Review, event=event, notify=notify)
    return TransitionResult(review=review, event=event)


def check_official_source(source_url: str, source_type: str) -> None:
    """A status change or decision records what a regulator or court did: it cites one."""
    if not source_url:
        raise ValidationError({"source_url": "A status change needs the regulator's or court's page as its source."})
    if source_type not in OFFICIAL_SOURCES:
        raise ValidationError(
            {"source_type": f"A status change is sourced from a regulator or a court, not {source_type or 'nothing'!r}."}
        )


def closing_outcome(to_status: str, outcome: str | None) -> str | None:
    """The outcome a move records: the one given, checked against the status, or the one the
    status implies; None leaves it to the status (kept under appeal, cleared otherwise)."""
    if outcome in (None, ""):
        return default_outcome(to_status) or (None if outcome is None else "")
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": f"Unknown outcome {outcome!r}. Use one of: {', '.join(Outcome.values)}."})
    allowed = allowed_outcomes(to_status)
    if outcome not in allowed:
        label = ReviewStatus(to_status).label
        raise ValidationError(
            {"outcome": f"A move to '{label}' cannot record the outcome {outcome!r}"
             + (f"; use one of: {', '.join(allowed)}." if allowed else ": an open proceeding has no outcome yet.")}
        )
    return outcome


@transaction.atomic
def link_deal(review: Review, deal: Deal) -> bool:
    """Let `review` cover `deal` too; True when the link is new. Its proceeding-wide events
    show on the deal's timeline from now on."""
    _, created = ReviewDeal.objects.get_or_create(review=review, deal=deal)
    return created


@transaction.atomic
def unlink_deal(review: Review, deal: Deal) -> None:
    if deal.pk == review.deal_id:
        raise ValidationError({"deals": "The lead deal stays covered; make another deal the lead first."})
    ReviewDeal.objects.filter(review=review, deal=deal).delete()
