"""The CMA's timetable notices among a case page's dated entries: what each does to the
statutory clock (Enterprise Act 2002 s.39 and s.34ZB).

- s.39(4) and s.34ZB: the period is extended while a party fails to comply with a s.109
  notice; the tracker counts that as a clock stop, which ends when the CMA cancels the
  extension notice (the party complied).
- s.39(3): one extension of up to 8 weeks for special reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records import CLOCK_EXTEND, CLOCK_RESTART, CLOCK_STOP

_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
}
_WEEKS = re.compile(r"\b(\d{1,2}|" + "|".join(_NUMBERS) + r")[- ]weeks?\b", re.IGNORECASE)
_FAILURE_TO_COMPLY = re.compile(
    r"39\(4\)|34ZB|section 109|s\.? ?109|fail(?:ed|ure)? to comply", re.IGNORECASE
)
_SPECIAL_REASONS = re.compile(r"39\(3\)|special reasons", re.IGNORECASE)
_CANCELLED = re.compile(r"cancel", re.IGNORECASE)
_EXTENSION = re.compile(r"extension|extend", re.IGNORECASE)


@dataclass(frozen=True)
class ClockAct:
    action: str  # CLOCK_STOP, CLOCK_RESTART or CLOCK_EXTEND
    length: int = 0  # weeks, for CLOCK_EXTEND
    reason: str = ""


def clock_act(title: str, body: str) -> ClockAct | None:
    """What a dated entry does to the clock, or None when it is not a timetable notice."""
    text = f"{title} {body}"
    if not _EXTENSION.search(text):
        return None
    if _CANCELLED.search(text) and _FAILURE_TO_COMPLY.search(text):
        return ClockAct(CLOCK_RESTART, reason=_reason(title, body))
    if _FAILURE_TO_COMPLY.search(text):
        return ClockAct(CLOCK_STOP, reason=_reason(title, body))
    weeks = _WEEKS.search(text)
    if _SPECIAL_REASONS.search(text) or weeks:
        if weeks is None:
            return None  # an extension without its length: the published deadline says the rest
        count = weeks.group(1).lower()
        length = int(count) if count.isdigit() else _NUMBERS[count]
        return ClockAct(CLOCK_EXTEND, length=length, reason=_reason(title, body))
    return None


def _reason(title: str, body: str) -> str:
    """The notice's own words: its text, else its heading."""
    return (body.strip() or title.strip())[:200] or "CMA timetable notice"
