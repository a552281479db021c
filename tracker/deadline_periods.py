"""The period records of a review's deadline: the current one, each version of it, and the
review's deadline fields that mirror it. Rows are kept, never edited in place: a recount
makes a new version (see tracker.deadlines)."""

from __future__ import annotations

import datetime

from regulators.deadlines import Deadline

from .choices import DeadlineKind, PeriodState
from .deadline_clock import clock_stops
from .models import DeadlinePeriod, Review

DEADLINE_FIELDS = [
    "next_deadline",
    "deadline_kind",
    "deadline_phase",
    "clock_started_on",
    "deadline_variant",
    "deadline_basis",
]
CURRENT_STATES = (PeriodState.RUNNING, PeriodState.STOPPED)
# What makes two versions of a period the same: a recount that changes none of these is no change.
VERSION_FIELDS = ("phase", "variant", "clock_started_on", "due_on", "kind", "basis", "state")


def current_period(review: Review) -> DeadlinePeriod | None:
    """The review's running or stopped period, if it has one."""
    return DeadlinePeriod.objects.filter(review=review, state__in=CURRENT_STATES).first()


def period_history(review: Review):
    """Every period the review had, newest first."""
    return DeadlinePeriod.objects.filter(review=review).order_by("-id")


def mirror_current_period(review: Review, period: DeadlinePeriod | None) -> list[str]:
    """Set the review's deadline fields from its current period, or empty them when it has
    none; returns the fields for the caller to save."""
    if period is None:
        review.next_deadline, review.deadline_kind, review.deadline_phase = None, "", ""
        review.clock_started_on, review.deadline_variant, review.deadline_basis = None, "", ""
        return DEADLINE_FIELDS
    if period.published_due_on:
        # Readers see the regulator's own date; the period keeps our count as the cross-check.
        review.next_deadline, review.deadline_kind = period.published_due_on, DeadlineKind.PUBLISHED
    else:
        review.next_deadline = period.due_on
        review.deadline_kind = period.kind if period.due_on else ""
    review.deadline_phase = period.phase
    review.clock_started_on = period.clock_started_on
    review.deadline_variant = period.variant
    review.deadline_basis = period.basis
    return DEADLINE_FIELDS


def current_or_adopted(review: Review) -> DeadlinePeriod | None:
    """The current period; a deadline recorded on the review before periods were kept
    becomes its first period, as it stands (no event: nothing changed)."""
    period = current_period(review)
    if period is None and (review.deadline_phase or review.next_deadline):
        stopped = bool(
            review.deadline_phase
            and review.next_deadline is None
            and any(s.restarted_on is None for s in clock_stops(review))
        )
        period = DeadlinePeriod.objects.create(
            review=review,
            phase=review.deadline_phase,
            variant=review.deadline_variant,
            clock_started_on=review.clock_started_on,
            due_on=review.next_deadline,
            kind=review.deadline_kind,
            basis=review.deadline_basis,
            state=PeriodState.STOPPED if stopped else PeriodState.RUNNING,
        )
    return period


def new_version(review: Review, deadline: Deadline | None, *, waiting: str = "") -> DeadlinePeriod:
    """A new (unsaved) version of the review's period, as its clock fields and `deadline` give it."""
    period = DeadlinePeriod(
        review=review,
        phase=review.deadline_phase,
        variant=review.deadline_variant,
        clock_started_on=review.clock_started_on,
        kind="",
        state=PeriodState.RUNNING,
        basis=waiting,
    )
    if deadline is not None and deadline.suspended:
        period.state = PeriodState.STOPPED
        period.basis = f"Clock stopped; no deadline until it runs again. {deadline.explain()}"
    elif deadline is not None:
        period.due_on = deadline.date
        period.kind = DeadlineKind.STATUTORY if deadline.verified else DeadlineKind.PROVISIONAL
        period.basis = deadline.explain() + "".join(f"\nProvisional: {c}" for c in deadline.caveats)
    return period


def same_version(old: DeadlinePeriod | None, new: DeadlinePeriod | None) -> bool:
    if old is None or new is None:
        return old is new
    return all(getattr(old, f) == getattr(new, f) for f in VERSION_FIELDS)


def last_due(review: Review, period: DeadlinePeriod | None) -> datetime.date | None:
    """Where the deadline stood before `period`'s version: its date, or, for a version without
    one (clock stopped, cleared), the last date of the same period."""
    if period is None or period.due_on:
        return period.due_on if period else None
    earlier = (
        DeadlinePeriod.objects.filter(
            review=review,
            phase=period.phase,
            clock_started_on=period.clock_started_on,
            state=PeriodState.SUPERSEDED,
            due_on__isnull=False,
            pk__lt=period.pk,
        )
        .order_by("-pk")
        .first()
    )
    return earlier.due_on if earlier else None
