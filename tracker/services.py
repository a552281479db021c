"""Writes that change a review's state. Everything that moves a status comes here."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .choices import EventKind, ReviewStatus
from .deadlines import apply_phase_deadline
from .lifecycle import CLOSED_STATUSES, allowed_targets, can_transition
from .models import Event, Review
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
    stage: str | None = None,
    outcome: str | None = None,
    user=None,
    precondition: Callable[[Review], None] | None = None,
) -> TransitionResult:
    """Move a review to `to_status` and write its status-change event, atomically.

    The review row is locked for the duration, so two concurrent calls serialise: the
    second sees the first's result and is checked against it. `precondition`, if given,
    is called with the locked review before anything else (an API's If-Match check) and
    aborts the transition by raising.
    """
    if to_status not in ReviewStatus.values:
        raise ValueError(f"Unknown status {to_status!r}.")
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
        if to_status in CLOSED_STATUSES:
            review.closed_on = occurred_on
        else:
            review.closed_on = None
            if review.opened_on is None and to_status != ReviewStatus.MONITORING:
                review.opened_on = occurred_on
        # Entering a phase with statutory rules starts its clock; closing clears it.
        deadline_fields = apply_phase_deadline(review, to_status, occurred_on)
        if user is not None:
            review._history_user = user
        review.save(
            update_fields=[
                "status", "status_changed_at", "stage", "outcome", "closed_on", "opened_on", "updated_at",
                *deadline_fields,
            ]
        )

        event = Event(
            deal=review.deal,
            review=review,
            kind=EventKind.STATUS_CHANGE,
            occurred_on=occurred_on,
            title=title
            or f"{review.regulator.short_name}: {ReviewStatus(from_status).label} → {ReviewStatus(to_status).label}",
            body=note,
            source_url=source_url,
            source_title=source_title,
            from_status=from_status,
            to_status=to_status,
            created_by=user,
        )
        event.save()
        status_changed.send(sender=Review, event=event)
    return TransitionResult(review=review, event=event)
