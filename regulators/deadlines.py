"""Counting a statutory deadline from a rule, a start date, clock stops and extensions.

Pure logic: no database. The rules are in deadline_rules.py, the calendars in
calendars.py.
"""

from __future__ import annotations

import datetime
from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .calendars import CalendarNotCovered, get_calendar
from .choices import DayOne, DeadlineUnit
from .deadline_rules import DeadlineRule

ONE_DAY = datetime.timedelta(days=1)


class DeadlineError(ValueError):
    """Input the rules cannot count from; the message says which and why, `field` which input."""

    def __init__(self, message: str, field: str = "started_on"):
        super().__init__(message)
        self.field = field


__all__ = ["CalendarNotCovered", "ClockStopPeriod", "Deadline", "DeadlineError", "compute_deadline"]


@dataclass(frozen=True)
class ClockStopPeriod:
    """The clock stops on `stopped_on` and runs again from `restarted_on`, which counts.

    `restarted_on` is None while the clock is still stopped.
    """

    stopped_on: datetime.date
    restarted_on: datetime.date | None = None

    def covers(self, day: datetime.date) -> bool:
        return self.stopped_on <= day and (self.restarted_on is None or day < self.restarted_on)

    def describe(self) -> str:
        if self.restarted_on is None:
            return f"clock stopped since {self.stopped_on}"
        return f"clock stopped {self.stopped_on} to {self.restarted_on}"


@dataclass(frozen=True)
class Deadline:
    rule: DeadlineRule
    started_on: datetime.date
    day_one: datetime.date
    # None while the clock is stopped: there is no deadline until it runs again.
    date: datetime.date | None
    length: int
    extension: int
    variant: str | None
    clock_stops: tuple[ClockStopPeriod, ...]
    days_stopped: int  # counting days (in the rule's sense) the stops took out
    rolled_from: datetime.date | None  # the unrolled end, where roll-forward moved it
    caveats: tuple[str, ...]  # holiday data used that is not checked against its source

    @property
    def suspended(self) -> bool:
        return self.date is None

    @property
    def verified(self) -> bool:
        return not self.caveats

    @property
    def started_by(self) -> str:
        """The act whose date starts this period (a variant may count from another act)."""
        return (
            self.variant and self.rule.variants[self.variant].started_by
        ) or self.rule.started_by

    def explain(self) -> str:
        """One line on how the date was reached, with its legal basis."""
        total = self.length + self.extension
        unit = self.rule.unit_label
        parts = [f"{total} {unit[:-1] if total == 1 and unit.endswith('s') else unit}"]
        if self.extension:
            parts.append(f"({self.length} + {self.extension} extension)")
        if self.variant:
            parts.append(f"[{self.rule.variants[self.variant].description}]")
        parts.append(f"from day 1 on {self.day_one} ({self.started_by} {self.started_on})")
        if self.clock_stops:
            parts.append("; " + ", ".join(stop.describe() for stop in self.clock_stops))
        if self.rolled_from:
            parts.append(
                f"; {self.rolled_from} is not a business day, so the period runs to {self.date}"
            )
        return " ".join(parts).replace(" ;", ";") + f". {self.rule.legal_basis}."


def compute_deadline(
    rule: DeadlineRule,
    started_on: datetime.date,
    *,
    clock_stops: Iterable[ClockStopPeriod] = (),
    extension: int = 0,
    variant: str | None = None,
    extension_grants: int | None = None,
) -> Deadline:
    """The last day of the period `rule` sets, counted from the act on `started_on`.

    Raises DeadlineError for input the rule does not allow, and CalendarNotCovered when
    the count reaches a year the regulator's holiday data does not cover.
    """
    variant = variant or None
    if variant is not None and variant not in rule.variants:
        known = ", ".join(sorted(rule.variants)) or "none"
        raise DeadlineError(
            f"{rule.regulator} {rule.phase} has no variant {variant!r}; its variants: {known}.",
            field="variant",
        )
    _check_extension(rule, extension, extension_grants)
    stops = _check_stops(rule, started_on, clock_stops)

    calendar = get_calendar(rule.calendar)
    length = rule.length_for(variant)
    day_one = _day_one(rule, calendar, started_on)
    if rule.unit == DeadlineUnit.MONTHS:
        # Months end on a date, not after a number of days: find it, then count the calendar
        # days up to it, so that a clock stop (a suspension, BGB s.209) pushes it day for day.
        to_count = (_months_end(rule, started_on, day_one, length + extension) - day_one).days + 1
    else:
        to_count = (length + extension) * (7 if rule.unit == DeadlineUnit.WEEKS else 1)
    counts = (
        calendar.is_working_day if rule.unit == DeadlineUnit.WORKING_DAYS else (lambda day: True)
    )

    years = {started_on.year, day_one.year}
    counted = days_stopped = 0
    day = day_one - ONE_DAY
    end: datetime.date | None = None
    while counted < to_count:
        day += ONE_DAY
        years.add(day.year)
        stop = next((s for s in stops if s.covers(day)), None)
        if stop is not None and stop.restarted_on is None:
            break  # stopped with no restart yet: no deadline
        if counts(day):
            if stop is None:
                counted += 1
            else:
                days_stopped += 1
    else:
        end = day

    rolled_from = None
    if end is not None and rule.roll_forward and not calendar.is_working_day(end):
        rolled_from, end = end, calendar.roll_forward(end)
        years.add(end.year)
    if end is not None:
        late = [s for s in stops if s.stopped_on > end]
        if late:
            raise DeadlineError(
                f"The clock cannot stop on {late[0].stopped_on}: the period had already ended on {end}.",
                field="stopped_on",
            )
    return Deadline(
        rule=rule,
        started_on=started_on,
        day_one=day_one,
        date=end,
        length=length,
        extension=extension,
        variant=variant,
        clock_stops=tuple(stops),
        days_stopped=days_stopped,
        rolled_from=rolled_from,
        caveats=tuple(calendar.caveats(years)),
    )


def _day_one(rule: DeadlineRule, calendar, started_on: datetime.date) -> datetime.date:
    if rule.day_one == DayOne.SAME_DAY:
        return started_on
    if rule.day_one == DayOne.NEXT_DAY:
        return started_on + ONE_DAY
    return calendar.next_working_day(started_on)


def _months_later(year: int, month: int, months: int) -> tuple[int, int]:
    years, month_index = divmod(month - 1 + months, 12)
    return year + years, month_index + 1


def _months_end(
    rule: DeadlineRule, started_on: datetime.date, day_one: datetime.date, months: int
) -> datetime.date:
    """The last day of a period of `months` calendar months (German Civil Code s.187-188).

    Counted from an event (s.187(1), day one the next day): the period ends on the day of the
    last month with the same number as the day of the event. Beginning with a day (s.187(2),
    day one that day itself): it ends on the day before the one with the same number as day
    one. Where the last month has no such day, the period ends on its last day (s.188(3)):
    one month from 31 January ends on 28 or 29 February.
    """
    if rule.day_one == DayOne.NEXT_DAY:
        year, month = _months_later(started_on.year, started_on.month, months)
        return datetime.date(year, month, min(started_on.day, monthrange(year, month)[1]))
    year, month = _months_later(day_one.year, day_one.month, months)
    last = monthrange(year, month)[1]
    if day_one.day > last:
        return datetime.date(year, month, last)
    return datetime.date(year, month, day_one.day) - ONE_DAY


def _check_extension(rule: DeadlineRule, extension: int, grants: int | None) -> None:
    if extension < 0:
        raise DeadlineError(
            f"An extension cannot be negative (got {extension}).", field="extension"
        )
    if extension and rule.max_extension == 0:
        raise DeadlineError(
            f"The {rule.regulator} {rule.phase} period has no extension under its rules.",
            field="extension",
        )
    if rule.max_extension is not None and extension > rule.max_extension:
        raise DeadlineError(
            f"The {rule.regulator} {rule.phase} period can be extended by {rule.max_extension} "
            f"{rule.unit_label} at most (got {extension}): {rule.extension_basis}.",
            field="extension",
        )
    if (
        grants is not None
        and rule.max_extension_grants is not None
        and grants > rule.max_extension_grants
    ):
        raise DeadlineError(
            f"The {rule.regulator} {rule.phase} period can be extended "
            f"{'once' if rule.max_extension_grants == 1 else f'{rule.max_extension_grants} times'} only: "
            f"{rule.extension_basis}.",
            field="extension",
        )


def _check_stops(
    rule: DeadlineRule, started_on: datetime.date, clock_stops: Iterable[ClockStopPeriod]
) -> Sequence[ClockStopPeriod]:
    stops = sorted(clock_stops, key=lambda s: s.stopped_on)
    if stops and not rule.clock_stops:
        raise DeadlineError(
            f"The {rule.regulator} {rule.phase} clock cannot be stopped: {rule.clock_stop_basis}",
            field="stopped_on",
        )
    for stop in stops:
        if stop.stopped_on < started_on:
            raise DeadlineError(
                f"A clock stop on {stop.stopped_on} predates the start of the period on {started_on}.",
                field="stopped_on",
            )
        if stop.restarted_on is not None and stop.restarted_on <= stop.stopped_on:
            raise DeadlineError(
                f"A clock stopped on {stop.stopped_on} must restart after that day (got {stop.restarted_on}).",
                field="restarted_on",
            )
    for earlier, later in zip(stops, stops[1:], strict=False):
        if earlier.restarted_on is None or later.stopped_on < earlier.restarted_on:
            raise DeadlineError(
                f"Clock stops overlap: the one from {earlier.stopped_on} has not ended when the one from "
                f"{later.stopped_on} begins.",
                field="stopped_on",
            )
    return stops
