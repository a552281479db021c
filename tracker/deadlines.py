"""Writes that move a review's deadline: phase entry, clock starts, stops, extensions, hand edits.

Each public function locks the review, checks the new inputs against the regulator's
rules before writing anything, recomputes the deadline and, when it moved, records a
`deadline` event saying from what to what and why. The counting is in
regulators.deadlines; the rules in regulators.deadline_rules.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from regulators.calendars import CalendarNotCovered
from regulators.deadline_rules import RULES, DeadlineRule, rule_for_status
from regulators.deadlines import ClockStopPeriod, Deadline, DeadlineError, compute_deadline

from .choices import DeadlineKind, EventKind
from .lifecycle import CLOSED_STATUSES
from .models import ClockStop, DeadlineExtension, Event, Review

DEADLINE_FIELDS = ["next_deadline", "deadline_kind", "deadline_phase", "clock_started_on", "deadline_variant", "deadline_basis"]
COMPUTED_KINDS = {DeadlineKind.STATUTORY, DeadlineKind.PROVISIONAL}


@dataclass(frozen=True)
class DeadlineChange:
    review: Review
    deadline: Deadline | None
    event: Event | None


# -- reading a review's clock -------------------------------------------------------


def current_rule(review: Review) -> DeadlineRule | None:
    return RULES.get((review.regulator.slug, review.deadline_phase)) if review.deadline_phase else None


# A period runs from its clock start: stops and extensions recorded before it belong to an
# earlier run of the same phase (a review back in phase 2 after remedies, say).


def in_current_period(review: Review, phase: str, day: datetime.date | None) -> bool:
    """Whether a stop or extension of `phase` dated `day` belongs to the review's running period."""
    if phase != review.deadline_phase:
        return False
    return review.clock_started_on is None or day is None or day >= review.clock_started_on


def _stops(review: Review) -> list[ClockStop]:
    stops = review.clock_stops.filter(phase=review.deadline_phase)
    if review.clock_started_on:
        stops = stops.filter(stopped_on__gte=review.clock_started_on)
    return list(stops)


def _extensions(review: Review) -> list[DeadlineExtension]:
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
        stops = [ClockStopPeriod(s.stopped_on, s.restarted_on) for s in _stops(review)]
    if extensions is None:
        extensions = [e.length for e in _extensions(review)]
    return compute_deadline(
        rule,
        started_on,
        clock_stops=stops,
        extension=sum(extensions),
        extension_grants=len(extensions),
        variant=review.deadline_variant if variant is None else variant,
    )


def check_inputs(review: Review, *, field_names: dict[str, str] | None = None, **inputs) -> Deadline | None:
    """compute_for_review, with refusals turned into a ValidationError naming the field."""
    field_names = field_names or {}
    try:
        return compute_for_review(review, **inputs)
    except DeadlineError as exc:
        raise ValidationError({field_names.get(exc.field, exc.field): str(exc)}) from None
    except CalendarNotCovered as exc:
        raise ValidationError({field_names.get("calendar", "__all__"): str(exc)}) from None


# -- writing ------------------------------------------------------------------------


def _lock(review_id: int) -> Review:
    try:
        return Review.objects.select_for_update(of=("self",)).select_related("deal", "regulator").get(pk=review_id)
    except Review.DoesNotExist:
        raise ValidationError({"review": f"No review with id {review_id}."}) from None


def _require_clock(review: Review, *, started: bool = True) -> DeadlineRule:
    rule = current_rule(review)
    if rule is None:
        raise ValidationError(
            {"review": f"{review} has no statutory clock running (status {review.get_status_display()})."}
        )
    if started and review.clock_started_on is None:
        raise ValidationError(
            {"review": f"The {rule.title} period of {review} has not started: record the {rule.started_by} first."}
        )
    return rule


def _store(review: Review, deadline: Deadline | None, *, waiting_for: str = "") -> None:
    """Put a computed deadline (or its absence) on the review; the caller saves."""
    if deadline is None or deadline.suspended:
        review.next_deadline = None
        review.deadline_kind = ""
        review.deadline_basis = (
            f"Clock stopped; no deadline until it runs again. {deadline.explain()}" if deadline else waiting_for
        )
        return
    review.next_deadline = deadline.date
    review.deadline_kind = DeadlineKind.STATUTORY if deadline.verified else DeadlineKind.PROVISIONAL
    review.deadline_basis = deadline.explain() + "".join(f"\nProvisional: {c}" for c in deadline.caveats)


def _record(
    review: Review,
    *,
    old: datetime.date | None,
    occurred_on: datetime.date,
    why: str,
    source_url: str = "",
    user=None,
    always: bool = False,
) -> Event | None:
    """Save the review's deadline fields and write the event when the deadline moved."""
    if user is not None:
        review._history_user = user
    review.save(update_fields=[*DEADLINE_FIELDS, "updated_at"])
    new = review.next_deadline
    if old == new and not always:
        return None
    rule = current_rule(review)
    label = f"{rule.title} deadline" if rule else "Deadline"
    if new is None:
        what = f"{label} {old} suspended" if old else f"{label} not yet running"
    elif old is None:
        what = f"{label} set to {new}"
    elif old == new:
        what = f"{label} stays {new}"
    else:
        what = f"{label} moved from {old} to {new}"
    title = f"{review.regulator.short_name}: {what}: {why}"
    event = Event(
        deal=review.deal,
        review=review,
        kind=EventKind.DEADLINE,
        occurred_on=occurred_on,
        title=title if len(title) <= 300 else title[:299] + "…",
        body=review.deadline_basis,
        source_url=source_url,
        created_by=user,
    )
    event.save()
    return event


def apply_phase_deadline(review: Review, to_status: str, occurred_on: datetime.date) -> list[str]:
    """Set the deadline fields for a review entering `to_status`; the caller saves.

    Called by the transition service inside its transaction, on the locked row. A
    deadline the rules cannot count (a year without holiday data) never blocks a status
    change: the review is left without a deadline and the basis says why.
    """
    rule = rule_for_status(review.regulator.slug, to_status)
    if rule is not None:
        review.deadline_phase = rule.phase
        review.deadline_variant = ""
        review.clock_started_on = occurred_on if rule.starts_on_phase_entry else None
        waiting = f"{rule.title}: the period starts with the {rule.started_by}; record its date to count the deadline."
        try:
            _store(review, compute_for_review(review), waiting_for=waiting)
        except (DeadlineError, CalendarNotCovered) as exc:
            _store(review, None, waiting_for=f"Not counted: {exc}")
    elif to_status in CLOSED_STATUSES or review.deadline_phase:
        # Leaving the phase whose clock ran: its deadline no longer applies. A deadline
        # set by hand outside any rule stays until the review closes.
        if to_status in CLOSED_STATUSES or review.deadline_kind in COMPUTED_KINDS:
            review.next_deadline = None
            review.deadline_kind = ""
        review.deadline_phase = ""
        review.clock_started_on = None
        review.deadline_variant = ""
        review.deadline_basis = ""
    else:
        return []
    return DEADLINE_FIELDS


def set_clock(
    *,
    review_id: int,
    started_on: datetime.date,
    variant: str = "",
    source_url: str = "",
    note: str = "",
    user=None,
) -> DeadlineChange:
    """Record the act that starts the current period (or correct it), and its variant.

    Used where the start is not the phase entry (an HSR second request runs from
    substantial compliance) and when the case type sets another length (a cash tender
    offer, commitments offered at the Commission).
    """
    with transaction.atomic():
        review = _lock(review_id)
        if not review.deadline_phase:
            rule = rule_for_status(review.regulator.slug, review.status)
            review.deadline_phase = rule.phase if rule else ""
        rule = _require_clock(review, started=False)
        deadline = check_inputs(review, started_on=started_on, variant=variant)
        old = review.next_deadline
        review.clock_started_on = started_on
        review.deadline_variant = variant
        _store(review, deadline)
        why = f"{rule.started_by} on {started_on}"
        if variant:
            why += f", {rule.variants[variant].description}"
        if note:
            why += f" ({note})"
        event = _record(review, old=old, occurred_on=started_on, why=why, source_url=source_url, user=user)
    return DeadlineChange(review, deadline, event)


def stop_clock(
    *,
    review_id: int,
    stopped_on: datetime.date,
    reason: str,
    restarted_on: datetime.date | None = None,
    source_url: str = "",
    user=None,
) -> DeadlineChange:
    """Stop the review's clock on `stopped_on` (and restart it, when that is known too)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the clock stopped (e.g. information request under s.109)."})
    with transaction.atomic():
        review = _lock(review_id)
        _require_clock(review)
        stop = ClockStop(
            review=review,
            phase=review.deadline_phase,
            stopped_on=stopped_on,
            restarted_on=restarted_on,
            reason=reason,
            source_url=source_url,
        )
        return _replace_stops(review, [*_stops(review), stop], changed=stop, user=user)


def change_clock_stop(
    *,
    clock_stop_id: int,
    stopped_on: datetime.date,
    restarted_on: datetime.date | None,
    reason: str,
    source_url: str = "",
    user=None,
) -> DeadlineChange:
    """Correct a clock stop or record its restart."""
    with transaction.atomic():
        stop = _locked_child(ClockStop, clock_stop_id, "clock_stop")
        review = stop.review
        stop.stopped_on, stop.restarted_on, stop.reason = stopped_on, restarted_on, reason
        stop.source_url = source_url or stop.source_url
        others = [s for s in _stops(review) if s.pk != stop.pk]
        return _replace_stops(review, [*others, stop], changed=stop, user=user)


def restart_clock(*, clock_stop_id: int, restarted_on: datetime.date, source_url: str = "", user=None) -> DeadlineChange:
    stop = ClockStop.objects.filter(pk=clock_stop_id).first()
    if stop is None:
        raise ValidationError({"clock_stop": f"No clock stop with id {clock_stop_id}."})
    return change_clock_stop(
        clock_stop_id=clock_stop_id,
        stopped_on=stop.stopped_on,
        restarted_on=restarted_on,
        reason=stop.reason,
        source_url=source_url,
        user=user,
    )


def remove_clock_stop(*, clock_stop_id: int, user=None) -> DeadlineChange:
    """Delete a clock stop recorded in error."""
    with transaction.atomic():
        stop = _locked_child(ClockStop, clock_stop_id, "clock_stop")
        review = stop.review
        others = [s for s in _stops(review) if s.pk != stop.pk]
        deadline = check_inputs(review, stops=[ClockStopPeriod(s.stopped_on, s.restarted_on) for s in others])
        old = review.next_deadline
        period = ClockStopPeriod(stop.stopped_on, stop.restarted_on).describe()
        stop.delete()
        _store(review, deadline)
        event = _record(
            review, old=old, occurred_on=timezone.localdate(), why=f"{period} removed ({stop.reason})", user=user
        )
    return DeadlineChange(review, deadline, event)


def extend_deadline(
    *,
    review_id: int,
    length: int,
    granted_on: datetime.date,
    reason: str,
    source_url: str = "",
    user=None,
) -> DeadlineChange:
    """Extend the current period by `length` in the rule's unit (weeks at the CMA, working days at the EC)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the period was extended."})
    if length < 1:
        raise ValidationError({"length": "An extension is at least 1."})
    with transaction.atomic():
        review = _lock(review_id)
        rule = _require_clock(review)
        lengths = [e.length for e in _extensions(review)] + [length]
        deadline = check_inputs(review, extensions=lengths, field_names={"extension": "length"})
        old = review.next_deadline
        DeadlineExtension.objects.create(
            review=review, phase=review.deadline_phase, length=length, granted_on=granted_on, reason=reason,
            source_url=source_url,
        )
        _store(review, deadline)
        why = f"extended by {length} {rule.unit_label} on {granted_on} ({reason})"
        event = _record(review, old=old, occurred_on=granted_on, why=why, source_url=source_url, user=user)
    return DeadlineChange(review, deadline, event)


def remove_extension(*, extension_id: int, user=None) -> DeadlineChange:
    with transaction.atomic():
        extension = _locked_child(DeadlineExtension, extension_id, "extension")
        review = extension.review
        rule = _require_clock(review)
        lengths = [e.length for e in _extensions(review) if e.pk != extension.pk]
        deadline = check_inputs(review, extensions=lengths)
        old = review.next_deadline
        extension.delete()
        _store(review, deadline)
        why = f"extension of {extension.length} {rule.unit_label} granted {extension.granted_on} removed ({extension.reason})"
        event = _record(review, old=old, occurred_on=timezone.localdate(), why=why, user=user)
    return DeadlineChange(review, deadline, event)


def set_deadline_by_hand(
    *,
    review_id: int,
    next_deadline: datetime.date | None,
    kind: str = DeadlineKind.MANUAL,
    note: str = "",
    source_url: str = "",
    user=None,
) -> DeadlineChange:
    """An editor's deadline: one the rules do not give (or a correction of theirs)."""
    if kind not in {DeadlineKind.MANUAL, DeadlineKind.ESTIMATED, DeadlineKind.PROVISIONAL}:
        raise ValidationError({"deadline_kind": f"A deadline set by hand cannot be of kind {kind!r}."})
    with transaction.atomic():
        review = _lock(review_id)
        old = review.next_deadline
        review.next_deadline = next_deadline
        review.deadline_kind = kind if next_deadline else ""
        review.deadline_basis = f"{DeadlineKind(kind).label}" + (f": {note}" if note else "")
        why = f"{DeadlineKind(kind).label.lower()}" + (f" ({note})" if note else "")
        event = _record(review, old=old, occurred_on=timezone.localdate(), why=why, source_url=source_url, user=user)
    return DeadlineChange(review, None, event)


def _locked_child(model, pk: int, field: str):
    try:
        child = model.objects.select_related("review").get(pk=pk)
    except model.DoesNotExist:
        raise ValidationError({field: f"No {model._meta.verbose_name} with id {pk}."}) from None
    child.review = _lock(child.review_id)
    day = child.stopped_on if isinstance(child, ClockStop) else child.granted_on
    if not in_current_period(child.review, child.phase, day):
        raise ValidationError(
            {field: f"This {model._meta.verbose_name} belongs to an earlier period ({child.get_phase_display()}), "
             "whose deadline no longer runs."}
        )
    return child


def _replace_stops(review: Review, stops: list[ClockStop], *, changed: ClockStop, user) -> DeadlineChange:
    """Check the review's stops as they will be, save `changed`, recompute and record why."""
    periods = [ClockStopPeriod(s.stopped_on, s.restarted_on) for s in stops]
    deadline = check_inputs(review, stops=periods)
    old = review.next_deadline
    if old is None:
        # Restarting a stopped clock: say where the deadline stood before the stop.
        old = _deadline_without(review, [s for s in stops if s is not changed])
    changed.full_clean(exclude=["review", "phase"], validate_constraints=False)
    changed.save()
    _store(review, deadline)
    period = ClockStopPeriod(changed.stopped_on, changed.restarted_on).describe()
    occurred_on = changed.restarted_on or changed.stopped_on
    event = _record(
        review,
        old=old,
        occurred_on=occurred_on,
        why=f"{period} ({changed.reason})",
        source_url=changed.source_url,
        user=user,
    )
    return DeadlineChange(review, deadline, event)


def _deadline_without(review: Review, stops: list[ClockStop]) -> datetime.date | None:
    try:
        deadline = compute_for_review(review, stops=[ClockStopPeriod(s.stopped_on, s.restarted_on) for s in stops])
    except (DeadlineError, CalendarNotCovered):
        return None
    return deadline.date if deadline else None
