"""Reading a review's clock: the rule of its current phase, the stops and extensions of its
running period, and the deadline the rules count from them (in regulators.deadlines)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from regulators.calendars import CalendarNotCovered
from regulators.deadline_rules import RULES, DeadlineRule
from regulators.deadlines import ClockStopPeriod, Deadline, DeadlineError, compute_deadline

from .models import ClockStop, DeadlineExtension, Review


def current_rule(review: Review) -> DeadlineRule | None:
    return (
        RULES.get((review.regulator.slug, review.deadline_phase)) if review.deadline_phase else None
    )


# A period runs from its clock start: stops and extensions recorded before it belong to an
# earlier run of the same phase (a review back in phase 2 after remedies, say).


def in_current_period(review: Review, phase: str, day: datetime.date | None) -> bool:
    """Whether a stop or extension of `phase` dated `day` belongs to the review's running period."""
    if phase != review.deadline_phase:
        return False
    return review.clock_started_on is None or day is None or day >= review.clock_started_on


def clock_stops(review: Review) -> list[ClockStop]:
    stops = review.clock_stops.filter(phase=review.deadline_phase)
    if review.clock_started_on:
        stops = stops.filter(stopped_on__gte=review.clock_started_on)
    return list(stops)


def extensions_granted(review: Review) -> list[DeadlineExtension]:
    extensions = review.deadline_extensions.filter(phase=review.deadline_phase)
    if review.clock_started_on:
        extensions = extensions.filter(granted_on__gte=review.clock_started_on)
    return list(extensions)


def compute_for_review(
    review: Review,
    *,
    stops: list[ClockStopPeriod] | None = None,
    extensions: list[int] | None = None,
    started_on: datetime.date | None = None,
    variant: str | None = None,
) -> Deadline | None:
    """The deadline the rules give this review, with optional replacement inputs.

    None when no clock runs (no rule for the phase, or its start is not known yet).
    Raises DeadlineError or CalendarNotCovered for inputs the rules refuse.
    """
    rule = current_rule(review)
    started_on = started_on or review.clock_started_on
    if rule is None or started_on is None:
        return None
    if stops is None:
        stops = [ClockStopPeriod(s.stopped_on, s.restarted_on) for s in clock_stops(review)]
    if extensions is None:
        extensions = [e.length for e in extensions_granted(review)]
    return compute_deadline(
        rule,
        started_on,
        clock_stops=stops,
        extension=sum(extensions),
        extension_grants=len(extensions),
        variant=review.deadline_variant if variant is None else variant,
    )


def check_inputs(
    review: Review, *, field_names: dict[str, str] | None = None, **inputs
) -> Deadline | None:
    """compute_for_review, with refusals turned into a ValidationError naming the field."""
    field_names = field_names or {}
    try:
        return compute_for_review(review, **inputs)
    except DeadlineError as exc:
        raise ValidationError({field_names.get(exc.field, exc.field): str(exc)}) from None
    except CalendarNotCovered as exc:
        raise ValidationError({field_names.get("calendar", "__all__"): str(exc)}) from None
