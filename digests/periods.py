"""Digest periods and the working-day horizon of the deadlines a digest lists."""

from __future__ import annotations

import datetime
import functools

from notices.choices import Frequency
from regulators.calendars import CalendarNotCovered, WorkingDayCalendar, get_calendar

PERIOD_LENGTH = {
    Frequency.DAILY: datetime.timedelta(days=1),
    Frequency.WEEKLY: datetime.timedelta(days=7),
}


def period_start(frequency: str, day: datetime.date) -> datetime.date:
    """The day of a daily digest; the Monday of a weekly one."""
    if frequency == Frequency.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    return day


@functools.lru_cache(maxsize=64)
def working_day_horizon(calendar_code: str, today: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after today on the regulator's calendar.

    A year the calendar holds no holidays for is counted on weekends alone: the horizon of
    a digest is a reading window, not a statutory deadline, so it may err by a holiday.
    """
    try:
        calendar = get_calendar(calendar_code)
        day = today
        for _ in range(days):
            day = calendar.next_working_day(day)
        return day
    except CalendarNotCovered:
        day = today
        for _ in range(days):
            day = WorkingDayCalendar().next_working_day(day)
        return day
