"""Dates as registries write them."""

from __future__ import annotations

import datetime
import re

from .records import ParseError

_LONG = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")
_SHORT = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")


def iso_date(value, field: str) -> datetime.date | None:
    """An ISO date (or the date of an ISO timestamp); None when absent."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ParseError(f"{field}: expected a date, got {value!r}")
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        raise ParseError(f"{field}: unparseable date {value!r}") from None


def long_date(text: str) -> datetime.date | None:
    """'10 July 2015' (also 'Sept'); None for anything else, a range included."""
    match = _LONG.match(text.strip())
    if not match:
        return None
    day, month, year = match.groups()
    for fmt in ("%d %B %Y", "%d %b %Y"):
        try:
            return datetime.datetime.strptime(
                f"{day} {month[:3] if fmt.endswith('b %Y') else month} {year}", fmt
            ).date()
        except ValueError:
            continue
    return None


def short_date(text: str) -> datetime.date | None:
    """'10.7.15', as the CMA dates its documents in lists."""
    match = _SHORT.match(text.strip())
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year + 2000 if year < 100 else year, month, day)
    except ValueError:
        return None
