"""Writes that move a review's deadline: phase entry, clock starts, stops, extensions, hand edits,
decisions and the regulator's published date.

Every statutory period a proceeding had is kept as DeadlinePeriod rows, never deleted:

- A period opens (running) when the review enters a phase with rules, through a status
  change (`apply_phase_deadline`) or because the review was created in it (`open_in_phase`).
- A recount (clock start set or corrected, clock stop, restart, extension, a correction
  removed, a date set by hand) never edits the row in place: the current row is marked
  superseded, with the day and the reason, and a new current row carries the new count.
  Each row is thus one version of the period as it stood between two changes: the
  history shows every date the deadline ever had and why it left it. A clock stopped
  with no restart yet is a version in state "stopped" with no due date; the restart
  supersedes it with a running one.
- The period ends when the review leaves its phase: met when the decision on it came on
  or before the due date (a phase 1 decision to refer or open phase 2 is that decision),
  missed when after, withdrawn when the phase ended without a decision on it (the
  parties abandoned the deal, a referral between authorities, a closure with no
  decision). `record_phase_decision` ends it on the decision's own day where the status
  changes later (a CMA reference weeks after the SLC decision).
- The regulator's published due date is kept on the current row beside ours
  (`record_published_deadline`).

The review's next_deadline and deadline_* fields mirror the current row
(`mirror_current_period`) and are empty when no period is current. Every change writes
one `deadline` event of the proceeding (deal=None) saying what changed and why; nothing
is written when nothing changed. Each public function locks the review and checks the
new inputs against the regulator's rules before writing anything. The counting is in
regulators.deadlines; the rules in regulators.deadline_rules.

This module holds the commands. Reading a review's clock is in `deadline_clock`, the
period records and their versions in `deadline_periods`, and where the writes go (at
once, or kept for a bulk insert of a new review's past) in `deadline_writes`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import cast

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from regulators.calendars import CalendarNotCovered
from regulators.choices import DeadlinePhase
from regulators.deadline_rules import RULES, DeadlineRule, rule_for_status
from regulators.deadlines import ClockStopPeriod, Deadline, DeadlineError

from .choices import DeadlineKind, EventKind, Outcome, PeriodState, ReviewStatus
from .deadline_clock import (
    check_inputs,
    clock_stops,
    compute_for_review,
    current_rule,
    extensions_granted,
    in_current_period,
)
from .deadline_periods import (
    DEADLINE_FIELDS,
    current_or_adopted,
    last_due,
    mirror_current_period,
    new_version,
    same_version,
)
from .deadline_writes import AT_ONCE, Writes
from .lifecycle import CLOSED_STATUSES
from .models import ClockStop, DeadlineExtension, DeadlinePeriod, Event, Review

COMPUTED_KINDS = {DeadlineKind.STATUTORY, DeadlineKind.PROVISIONAL}
# Waiting periods (HSR) are not decided by the agency: once they pass, the parties may close.
WAITING_PERIODS = {DeadlinePhase.HSR_INITIAL, DeadlinePhase.HSR_SECOND_REQUEST}


@dataclass(frozen=True)
class DeadlineChange:
    review: Review
    deadline: Deadline | None
    event: Event | None
    period: DeadlinePeriod | None = None


def sync_deadline_fields(review_id: int) -> Review:
    """Rewrite a review's deadline fields from its current period (a repair; the services keep them in step)."""
    with transaction.atomic():
        review = _lock(review_id)
        mirror_current_period(review, current_or_adopted(review))
        review.save(update_fields=[*DEADLINE_FIELDS, "updated_at"])
    return review


def _label(review: Review, phase: str) -> str:
    rule = RULES.get((review.regulator.slug, phase)) if phase else None
    return f"{rule.title} deadline" if rule else "Deadline"


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _end(
    period: DeadlinePeriod, state: str, on: datetime.date, reason: str, writes: Writes = AT_ONCE
) -> None:
    period.state, period.ended_on, period.end_reason = state, on, _clip(reason, 300)
    writes.period(period, ["state", "ended_on", "end_reason"])


def _event(
    review: Review,
    title: str,
    *,
    on: datetime.date,
    body: str = "",
    source_url: str = "",
    source_title: str = "",
    source_type: str = "",
    user=None,
    writes: Writes = AT_ONCE,
    recorded_as_history: bool = False,
) -> Event:
    """The proceeding's deadline event: no deal of its own, so it shows on every deal covered."""
    event = Event(
        deal=None,
        review=review,
        kind=EventKind.DEADLINE,
        occurred_on=on,
        title=_clip(f"{review.regulator.short_name}: {title}", 300),
        body=body,
        source_url=source_url,
        source_title=source_title,
        source_type=source_type,
        source_read_on=timezone.localdate() if source_url else None,
        created_by=user,
        recorded_as_history=recorded_as_history,
    )
    writes.event(event)
    return event


def _what_moved(label: str, before: datetime.date | None, new: DeadlinePeriod | None) -> str:
    if new is None or (new.due_on is None and new.state == PeriodState.RUNNING and before):
        return f"{label} {before} cleared" if before else f"{label} cleared"
    if new.state == PeriodState.STOPPED:
        return f"{label} {before} suspended" if before else f"{label} suspended"
    if new.due_on is None:
        return f"{label} not yet running"
    if before is None:
        return f"{label} set to {new.due_on}"
    if before == new.due_on:
        return f"{label} stays {new.due_on}"
    return f"{label} moved from {before} to {new.due_on}"


def _supersede(
    review: Review,
    old: DeadlinePeriod | None,
    new: DeadlinePeriod | None,
    *,
    on: datetime.date,
    why: str,
    source_url: str = "",
    source_title: str = "",
    source_type: str = "",
    user=None,
    writes: Writes = AT_ONCE,
    recorded_as_history: bool = False,
) -> tuple[DeadlinePeriod | None, Event | None]:
    """Make `new` the current version of the period (None: none is current), the old one
    superseded on `on` because of `why`; one event says so. Nothing when nothing changed."""
    if same_version(old, new):
        mirror_current_period(review, old)
        return old, None
    before = last_due(review, old)
    if old is not None:
        _end(old, PeriodState.SUPERSEDED, on, why, writes)
    if new is not None:
        writes.period(new)
    mirror_current_period(review, new)
    # same_version() has returned above when neither period exists.
    shown = cast(DeadlinePeriod, new or old)
    label = _label(review, shown.phase)
    event = _event(
        review,
        f"{_what_moved(label, before, new)}: {why}",
        on=on,
        body=shown.basis,
        source_url=source_url,
        source_title=source_title,
        source_type=source_type,
        user=user,
        writes=writes,
        recorded_as_history=recorded_as_history,
    )
    return new, event


def _short_basis(rule: DeadlineRule) -> str:
    """The statute, without the paraphrase: 'Enterprise Act 2002 s.38(1), s.39(1)'."""
    return rule.legal_basis.split(":", 1)[0]


def _open(
    review: Review,
    rule: DeadlineRule,
    *,
    started_on: datetime.date | None,
    variant: str = "",
    on: datetime.date,
    source_url: str = "",
    source_title: str = "",
    source_type: str = "",
    user=None,
    writes: Writes = AT_ONCE,
) -> tuple[DeadlinePeriod, Event]:
    """Start a new period of `rule` (no period is current). A deadline the rules cannot count
    (a year without holiday data) leaves the period without a date, and the event says why."""
    review.deadline_phase, review.deadline_variant, review.clock_started_on = (
        rule.phase,
        variant,
        started_on,
    )
    label = f"{rule.title} deadline"
    if started_on is None:
        period = new_version(
            review,
            None,
            waiting=(
                f"{rule.title}: the period starts with the {rule.started_by}; record its "
                "date to count the deadline."
            ),
        )
        title = f"{label} not yet running: the period starts with the {rule.started_by}"
    else:
        try:
            deadline = compute_for_review(review, **writes.clock_inputs())
        except (DeadlineError, CalendarNotCovered) as exc:
            period = new_version(review, None, waiting=f"Not counted: {exc}")
            title = f"{label} not counted: {exc}"
        else:
            # The review is in the rule's phase with a start date: the rules give a count.
            deadline = cast(Deadline, deadline)
            period = new_version(review, deadline)
            total, unit = deadline.length + deadline.extension, rule.unit_label
            unit = unit[:-1] if total == 1 and unit.endswith("s") else unit
            how = f"{total} {unit} from the {deadline.started_by} on {started_on}"
            if deadline.variant:
                how += f", {rule.variants[deadline.variant].description}"
            title = f"{_what_moved(label, None, period)}: {how} ({_short_basis(rule)})"
    writes.period(period)
    mirror_current_period(review, period)
    event = _event(
        review,
        title,
        on=on,
        body=period.basis,
        source_url=source_url,
        source_title=source_title,
        source_type=source_type,
        user=user,
        writes=writes,
    )
    return period, event


# What a move out of a phase decided on it; a move not listed decided nothing (see _withdrawal).
DECISIONS: dict[str, str] = {
    ReviewStatus.PHASE_2: "phase 2 opened",
    ReviewStatus.REMEDIES: "remedies",
    ReviewStatus.LITIGATION: "taken to court",
    ReviewStatus.CLEARED: "cleared",
    ReviewStatus.CLEARED_WITH_CONDITIONS: "cleared with conditions",
    ReviewStatus.PROHIBITED: "prohibited",
}
# A closure with one of these outcomes decided nothing on the period: the case went elsewhere or ended.
UNDECIDED_OUTCOMES = {"", Outcome.REFERRED, Outcome.ABANDONED, Outcome.STUDY_CONCLUDED}
WITHDRAWALS: dict[str, str] = {
    ReviewStatus.ABANDONED: "the parties abandoned the deal",
    ReviewStatus.REFERRAL: "the case went to a referral between authorities",
}


def _decision(review: Review, to_status: str) -> str | None:
    """The decision a move to `to_status` took on the period, in words; None when it took none."""
    if to_status == ReviewStatus.CLOSED:
        return (
            None
            if review.outcome in UNDECIDED_OUTCOMES
            else f"closed: {Outcome(review.outcome).label.lower()}"
        )
    return DECISIONS.get(to_status)


def _withdrawal(review: Review, to_status: str) -> str:
    if to_status == ReviewStatus.CLOSED:
        if review.outcome:
            return f"the proceeding closed without a decision on it ({Outcome(review.outcome).label.lower()})"
        return "the proceeding closed without a decision on it"
    return WITHDRAWALS.get(
        to_status, f"the proceeding moved to {ReviewStatus(to_status).label.lower()}"
    )


def _judge(
    review: Review, period: DeadlinePeriod, decided_on: datetime.date, decision: str
) -> tuple[str, str]:
    """Met or missed, and the words saying so, for a decision on `period` taken on `decided_on`."""
    due = period.due_on
    if due is None:
        if period.clock_started_on is None:
            return (
                PeriodState.MET,
                f"decision on {decided_on} ({decision}) before the period's clock started",
            )
        if period.state == PeriodState.STOPPED:
            return (
                PeriodState.MET,
                f"decision on {decided_on} ({decision}) while the clock was stopped",
            )
        return PeriodState.MET, f"decision on {decided_on} ({decision}); no due date was counted"
    if decided_on <= due:
        return PeriodState.MET, f"decision on {decided_on} ({decision}), due {due}"
    if period.phase in WAITING_PERIODS:
        # The agency decides nothing at the end of a waiting period: it expires and the parties may close.
        return PeriodState.MET, f"the waiting period expired on {due}; {decision} on {decided_on}"
    return PeriodState.MISSED, f"due {due}, decision on {decided_on} ({decision})"


def _close(
    review: Review,
    period: DeadlinePeriod,
    state: str,
    reason: str,
    *,
    on: datetime.date,
    source_url: str = "",
    source_title: str = "",
    source_type: str = "",
    user=None,
    writes: Writes = AT_ONCE,
) -> Event:
    _end(period, state, on, reason, writes)
    mirror_current_period(review, None)
    words: dict[str, str] = {
        PeriodState.MET: "met",
        PeriodState.MISSED: "missed",
        PeriodState.WITHDRAWN: "withdrawn",
    }
    word = words.get(state, state)
    return _event(
        review,
        f"{_label(review, period.phase)} {word}: {reason}",
        on=on,
        body=period.basis,
        source_url=source_url,
        source_title=source_title,
        source_type=source_type,
        user=user,
        writes=writes,
    )


# -- writing ------------------------------------------------------------------------


def _lock(review_id: int) -> Review:
    try:
        return (
            Review.objects.select_for_update(of=("self",))
            .select_related("deal", "regulator")
            .get(pk=review_id)
        )
    except Review.DoesNotExist:
        raise ValidationError({"review": f"No review with id {review_id}."}) from None


def _require_clock(review: Review, *, started: bool = True) -> DeadlineRule:
    rule = current_rule(review)
    if rule is None:
        raise ValidationError(
            {
                "review": f"{review} has no statutory clock running (status {review.get_status_display()})."
            }
        )
    if started and review.clock_started_on is None:
        raise ValidationError(
            {
                "review": f"The {rule.title} period of {review} has not started: record the {rule.started_by} first."
            }
        )
    return rule


def _check_source(source_url: str) -> None:
    if source_url:
        try:
            URLValidator()(source_url)
        except ValidationError:
            raise ValidationError({"source_url": f"Not a URL: {source_url!r}."}) from None


def _save(review: Review, user=None) -> None:
    if user is not None:
        review._history_user = user
    review.save(update_fields=[*DEADLINE_FIELDS, "updated_at"])


def apply_phase_deadline(
    review: Review,
    to_status: str,
    occurred_on: datetime.date,
    *,
    source_url: str = "",
    source_title: str = "",
    source_type: str = "",
    user=None,
    writes: Writes = AT_ONCE,
) -> list[str]:
    """End the review's current period and start the one of `to_status`, writing an event for
    each; sets the deadline fields and returns them for the caller to save.

    Called by the transition service inside its transaction, on the locked row, after the
    new outcome is set on it (a closure's outcome says whether it decided anything). Leaving
    the phase ends its period: met or missed by the date when the move is a decision on it
    (phase 2 opened, remedies, court, clearance, prohibition, a closure deciding the case),
    withdrawn when not (abandonment, referral, a closure without a decision). A deadline
    set by hand outside any rule stays until the review closes or a phase with rules
    begins. A deadline the rules cannot count (a year without holiday data) never blocks a
    status change: the period starts without a date and its basis says why. `writes` keeps
    the writes for a bulk insert instead (`Replay`: a new review's past).
    """
    rule = rule_for_status(review.regulator.slug, to_status)
    current = writes.current(review)
    if current is None and rule is None:
        return []
    touch = dict(
        on=occurred_on,
        source_url=source_url,
        source_title=source_title,
        source_type=source_type,
        user=user,
        writes=writes,
    )
    if current is not None:
        if current.phase or to_status in CLOSED_STATUSES:
            decision = _decision(review, to_status)
            if decision is None:
                _close(
                    review,
                    current,
                    PeriodState.WITHDRAWN,
                    f"{_withdrawal(review, to_status)} on {occurred_on}",
                    **touch,
                )
            else:
                _close(review, current, *_judge(review, current, occurred_on, decision), **touch)
        elif rule is not None:
            _supersede(
                review,
                current,
                None,
                why=f"the {rule.title} period began on {occurred_on}",
                **touch,
            )
        else:
            return []
    if rule is not None:
        _open(review, rule, started_on=occurred_on if rule.starts_on_phase_entry else None, **touch)
    return DEADLINE_FIELDS


def open_in_phase(
    *,
    review_id: int,
    started_on: datetime.date | None = None,
    opened_on: datetime.date | None = None,
    variant: str = "",
    next_deadline: datetime.date | None = None,
    note: str = "",
    source_url: str = "",
    user=None,
) -> DeadlineChange:
    """Start the period of a review created directly in a phase (the admin's add form, the API,
    an import), as a status change into it would have.

    `started_on` is the day of the act that starts the clock (launch notice, notification,
    reference, HSR filing); without it the period waits for it. `next_deadline` is a date
    given by hand instead of the count. `opened_on` is the proceeding's opening date: it starts
    the clock when no `started_on` is given and the status has rules, and is no clock field, so
    a review opened in a status without a clock (monitoring, pre-notification) is not refused
    for it. Does nothing when the review already has a current period, or when its status has
    no rules and no date is given.
    """
    _check_source(source_url)
    with transaction.atomic():
        review = _lock(review_id)
        current = current_or_adopted(review)
        if current is not None:
            return DeadlineChange(review, None, None, current)
        rule = rule_for_status(review.regulator.slug, review.status)
        deadline = None
        if rule is None and (started_on or variant) and next_deadline is None:
            raise ValidationError(
                {
                    "clock_started_on": f"No statutory clock runs for {review.regulator.short_name} in status "
                    f"{review.get_status_display()}; leave the clock fields empty."
                }
            )
        if rule is not None:
            review.deadline_phase = rule.phase
            if variant and variant not in rule.variants:
                known = ", ".join(sorted(rule.variants)) or "none"
                raise ValidationError(
                    {
                        "deadline_variant": (
                            f"{rule.regulator} {rule.phase} has no variant "
                            f"{variant!r}; its variants: {known}."
                        )
                    }
                )
            if started_on is None:
                started_on = opened_on
            if started_on is not None:
                try:
                    deadline = compute_for_review(review, started_on=started_on, variant=variant)
                except DeadlineError as exc:
                    field = {"variant": "deadline_variant", "started_on": "clock_started_on"}.get(
                        exc.field, exc.field
                    )
                    raise ValidationError({field: str(exc)}) from None
                except CalendarNotCovered:
                    pass  # the period opens without a date, and says why
        on = started_on or review.opened_on or timezone.localdate()
        touch = dict(on=on, source_url=source_url, user=user)
        if next_deadline is not None:
            review.deadline_phase = rule.phase if rule else ""
            review.deadline_variant, review.clock_started_on = variant, started_on
            period: DeadlinePeriod | None = _by_hand(
                review, next_deadline, DeadlineKind.MANUAL, note
            )
            period, event = _supersede(
                review, None, period, why=_hand_why(DeadlineKind.MANUAL, note), **touch
            )
        elif rule is not None:
            period, event = _open(review, rule, started_on=started_on, variant=variant, **touch)
        else:
            return DeadlineChange(review, None, None, None)
        _save(review, user)
    return DeadlineChange(review, deadline, event, period)


def _hand_why(kind: str, note: str) -> str:
    return DeadlineKind(kind).label.lower() + (f" ({note})" if note else "")


def _by_hand(
    review: Review, next_deadline: datetime.date | None, kind: str, note: str
) -> DeadlinePeriod:
    """A version of the period with an editor's date (or none) instead of the count."""
    return DeadlinePeriod(
        review=review,
        phase=review.deadline_phase,
        variant=review.deadline_variant,
        clock_started_on=review.clock_started_on,
        due_on=next_deadline,
        kind=kind,
        basis=DeadlineKind(kind).label
        + (f": {note}" if note else "")
        + ("" if next_deadline else " (no date)"),
        state=PeriodState.RUNNING,
    )


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
    offer, commitments offered at the Commission). The period's version before it is
    superseded.
    """
    _check_source(source_url)
    with transaction.atomic():
        review = _lock(review_id)
        current = current_or_adopted(review)
        if not review.deadline_phase:
            rule = rule_for_status(review.regulator.slug, review.status)
            review.deadline_phase = rule.phase if rule else ""
        rule = _require_clock(review, started=False)
        deadline = check_inputs(review, started_on=started_on, variant=variant)
        review.clock_started_on = started_on
        review.deadline_variant = variant
        why = f"{rule.started_by} on {started_on}"
        if variant:
            why += f", {rule.variants[variant].description}"
        if note:
            why += f" ({note})"
        period, event = _supersede(
            review,
            current,
            new_version(review, deadline),
            on=started_on,
            why=why,
            source_url=source_url,
            user=user,
        )
        _save(review, user)
    return DeadlineChange(review, deadline, event, period)


def stop_clock(
    *,
    review_id: int,
    stopped_on: datetime.date,
    reason: str,
    restarted_on: datetime.date | None = None,
    source_url: str = "",
    user=None,
    recorded_as_history: bool = False,
) -> DeadlineChange:
    """Stop the review's clock on `stopped_on` (and restart it, when that is known too).
    `recorded_as_history`: the act is part of a past being recorded, not news."""
    if not reason.strip():
        raise ValidationError(
            {"reason": "Say why the clock stopped (e.g. information request under s.109)."}
        )
    with transaction.atomic():
        review = _lock(review_id)
        current = current_or_adopted(review)
        _require_clock(review)
        stop = ClockStop(
            review=review,
            phase=review.deadline_phase,
            stopped_on=stopped_on,
            restarted_on=restarted_on,
            reason=reason,
            source_url=source_url,
        )
        return _replace_stops(
            review,
            current,
            [*clock_stops(review), stop],
            changed=stop,
            user=user,
            recorded_as_history=recorded_as_history,
        )


def change_clock_stop(
    *,
    clock_stop_id: int,
    stopped_on: datetime.date,
    restarted_on: datetime.date | None,
    reason: str,
    source_url: str = "",
    user=None,
    recorded_as_history: bool = False,
) -> DeadlineChange:
    """Correct a clock stop or record its restart."""
    with transaction.atomic():
        stop = _locked_child(ClockStop, clock_stop_id, "clock_stop")
        review = stop.review
        current = current_or_adopted(review)
        stop.stopped_on, stop.restarted_on, stop.reason = stopped_on, restarted_on, reason
        stop.source_url = source_url or stop.source_url
        others = [s for s in clock_stops(review) if s.pk != stop.pk]
        return _replace_stops(
            review,
            current,
            [*others, stop],
            changed=stop,
            user=user,
            recorded_as_history=recorded_as_history,
        )


def restart_clock(
    *,
    clock_stop_id: int,
    restarted_on: datetime.date,
    source_url: str = "",
    user=None,
    recorded_as_history: bool = False,
) -> DeadlineChange:
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
        recorded_as_history=recorded_as_history,
    )


def remove_clock_stop(*, clock_stop_id: int, user=None) -> DeadlineChange:
    """Delete a clock stop recorded in error; the period is counted again without it (the
    version that counted it stays, superseded)."""
    with transaction.atomic():
        stop = _locked_child(ClockStop, clock_stop_id, "clock_stop")
        review = stop.review
        current = current_or_adopted(review)
        others = [s for s in clock_stops(review) if s.pk != stop.pk]
        deadline = check_inputs(
            review, stops=[ClockStopPeriod(s.stopped_on, s.restarted_on) for s in others]
        )
        period_words = ClockStopPeriod(stop.stopped_on, stop.restarted_on).describe()
        stop.delete()
        period, event = _supersede(
            review,
            current,
            new_version(review, deadline),
            on=timezone.localdate(),
            why=f"{period_words} removed ({stop.reason})",
            user=user,
        )
        _save(review, user)
    return DeadlineChange(review, deadline, event, period)


def extend_deadline(
    *,
    review_id: int,
    length: int,
    granted_on: datetime.date,
    reason: str,
    source_url: str = "",
    user=None,
    recorded_as_history: bool = False,
) -> DeadlineChange:
    """Extend the current period by `length` in the rule's unit (weeks at the CMA, working days at the EC)."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the period was extended."})
    if length < 1:
        raise ValidationError({"length": "An extension is at least 1."})
    _check_source(source_url)
    with transaction.atomic():
        review = _lock(review_id)
        current = current_or_adopted(review)
        rule = _require_clock(review)
        lengths = [e.length for e in extensions_granted(review)] + [length]
        deadline = check_inputs(review, extensions=lengths, field_names={"extension": "length"})
        DeadlineExtension.objects.create(
            review=review,
            phase=review.deadline_phase,
            length=length,
            granted_on=granted_on,
            reason=reason,
            source_url=source_url,
        )
        why = f"extended by {length} {rule.unit_label} on {granted_on} ({reason})"
        period, event = _supersede(
            review,
            current,
            new_version(review, deadline),
            on=granted_on,
            why=why,
            source_url=source_url,
            user=user,
            recorded_as_history=recorded_as_history,
        )
        _save(review, user)
    return DeadlineChange(review, deadline, event, period)


def remove_extension(*, extension_id: int, user=None) -> DeadlineChange:
    with transaction.atomic():
        extension = _locked_child(DeadlineExtension, extension_id, "extension")
        review = extension.review
        current = current_or_adopted(review)
        rule = _require_clock(review)
        lengths = [e.length for e in extensions_granted(review) if e.pk != extension.pk]
        deadline = check_inputs(review, extensions=lengths)
        extension.delete()
        why = (
            f"extension of {extension.length} {rule.unit_label} granted {extension.granted_on} "
            f"removed ({extension.reason})"
        )
        period, event = _supersede(
            review,
            current,
            new_version(review, deadline),
            on=timezone.localdate(),
            why=why,
            user=user,
        )
        _save(review, user)
    return DeadlineChange(review, deadline, event, period)


def set_deadline_by_hand(
    *,
    review_id: int,
    next_deadline: datetime.date | None,
    kind: str = DeadlineKind.MANUAL,
    note: str = "",
    source_url: str = "",
    user=None,
) -> DeadlineChange:
    """An editor's deadline: one the rules do not give (or a correction of theirs), or none.

    It is a new version of the current period (of the phase the status has rules for, or
    of no phase); clearing the date of a period with no phase ends it.
    """
    if kind not in {DeadlineKind.MANUAL, DeadlineKind.ESTIMATED, DeadlineKind.PROVISIONAL}:
        raise ValidationError(
            {"deadline_kind": f"A deadline set by hand cannot be of kind {kind!r}."}
        )
    _check_source(source_url)
    with transaction.atomic():
        review = _lock(review_id)
        current = current_or_adopted(review)
        if not review.deadline_phase:
            rule = rule_for_status(review.regulator.slug, review.status)
            review.deadline_phase = rule.phase if rule else ""
        new = (
            None
            if next_deadline is None and not review.deadline_phase
            else _by_hand(review, next_deadline, kind, note)
        )
        period, event = _supersede(
            review,
            current,
            new,
            on=timezone.localdate(),
            why=_hand_why(kind, note),
            source_url=source_url,
            user=user,
        )
        _save(review, user)
    return DeadlineChange(review, None, event, period)


def record_phase_decision(
    *,
    review_id: int,
    decided_on: datetime.date,
    decision: str = "",
    source_url: str = "",
    user=None,
) -> DeadlineChange:
    """End the current period on the regulator's decision on it, met or missed by its date.

    For a decision that comes before the status changes: the CMA's phase 1 decision that
    the duty to refer applies (s.33), with the reference itself days or weeks later, after
    the parties declined to offer undertakings. The later status change then only opens
    the next phase's period.
    """
    _check_source(source_url)
    with transaction.atomic():
        review = _lock(review_id)
        current = current_or_adopted(review)
        if current is None:
            raise ValidationError({"review": f"{review} has no running period to decide on."})
        if current.clock_started_on and decided_on < current.clock_started_on:
            raise ValidationError(
                {
                    "decided_on": (
                        f"A decision on {decided_on} predates the period's start on "
                        f"{current.clock_started_on}."
                    )
                }
            )
        state, reason = _judge(review, current, decided_on, decision or "decision on the phase")
        event = _close(
            review, current, state, reason, on=decided_on, source_url=source_url, user=user
        )
        _save(review, user)
    return DeadlineChange(review, None, event, current)


def record_published_deadline(
    *,
    review_id: int,
    published_due_on: datetime.date | None,
    published_on: datetime.date | None = None,
    source_url: str = "",
    user=None,
    recorded_as_history: bool = False,
) -> DeadlineChange:
    """Keep the due date the regulator itself published beside ours, on the current period;
    the event says whether the two agree. A recount starts a version without it: the
    regulator publishes again when its date moves. `recorded_as_history`: the event is part
    of a past being recorded (a registry's case seen for the first time), not news."""
    _check_source(source_url)
    with transaction.atomic():
        review = _lock(review_id)
        current = current_or_adopted(review)
        if current is None:
            raise ValidationError(
                {"published_due_on": f"{review} has no current period to publish a date for."}
            )
        if current.published_due_on == published_due_on:
            return DeadlineChange(review, None, None, current)
        before = current.published_due_on
        current.published_due_on = published_due_on
        current.save(update_fields=["published_due_on"])
        mirror_current_period(review, current)
        _save(review, user)
        label, by, ours = _label(review, current.phase), review.regulator.short_name, current.due_on
        if published_due_on is None:
            title = f"{label}: the date {by} published ({before}) removed"
        elif ours is None:
            title = f"{label} published by {by} as {published_due_on}; no date counted here"
        elif ours == published_due_on:
            title = f"{label} published by {by} as {published_due_on}, as counted here"
        else:
            days = (published_due_on - ours).days
            title = (
                f"{label} published by {by} as {published_due_on}, {abs(days)} day{'s' if abs(days) != 1 else ''} "
                f"{'later' if days > 0 else 'earlier'} than counted here ({ours}): check the clock stops and extensions"
            )
        event = _event(
            review,
            title,
            on=published_on or timezone.localdate(),
            body=current.basis,
            source_url=source_url,
            user=user,
            recorded_as_history=recorded_as_history,
        )
    return DeadlineChange(review, None, event, current)


def _locked_child(model, pk: int, field: str):
    try:
        child = model.objects.select_related("review").get(pk=pk)
    except model.DoesNotExist:
        raise ValidationError({field: f"No {model._meta.verbose_name} with id {pk}."}) from None
    child.review = _lock(child.review_id)
    current_or_adopted(
        child.review
    )  # a deadline kept before periods were: adopted before anything moves
    day = child.stopped_on if isinstance(child, ClockStop) else child.granted_on
    if not in_current_period(child.review, child.phase, day):
        raise ValidationError(
            {
                field: f"This {model._meta.verbose_name} belongs to an earlier period ({child.get_phase_display()}), "
                "whose deadline no longer runs."
            }
        )
    return child


def _replace_stops(
    review: Review,
    current: DeadlinePeriod | None,
    stops: list[ClockStop],
    *,
    changed: ClockStop,
    user,
    recorded_as_history: bool = False,
) -> DeadlineChange:
    """Check the review's stops as they will be, save `changed`, recount and record why."""
    periods = [ClockStopPeriod(s.stopped_on, s.restarted_on) for s in stops]
    deadline = check_inputs(review, stops=periods)
    changed.full_clean(exclude=["review", "phase"], validate_constraints=False)
    changed.save()
    words = ClockStopPeriod(changed.stopped_on, changed.restarted_on).describe()
    period, event = _supersede(
        review,
        current,
        new_version(review, deadline),
        on=changed.restarted_on or changed.stopped_on,
        why=f"{words} ({changed.reason})",
        source_url=changed.source_url,
        user=user,
        recorded_as_history=recorded_as_history,
    )
    _save(review, user)
    return DeadlineChange(review, deadline, event, period)
