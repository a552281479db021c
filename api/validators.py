"""Input the database can hold: text without the characters PostgreSQL refuses, and
instants within the range both PostgreSQL and Python read back.

PostgreSQL text cannot contain NUL, and UTF-8 cannot encode a lone surrogate (which a
JSON string may spell as "\\ud800"); either makes the driver fail mid-request. A
timestamp's UTC offset is limited to 15:59 in PostgreSQL, while Python accepts up to
23:59; and an instant near year 1 or 9999 can move out of Python's range when turned
to UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError

UNSTORABLE_CHARACTER = re.compile("[\x00\ud800-\udfff]")
MAX_UTC_OFFSET = timedelta(hours=15, minutes=59)

UNSTORABLE_TEXT_MESSAGE = (
    "Contains a character that cannot be stored (NUL or an unpaired surrogate)."
)


def has_unstorable_character(text: str) -> bool:
    return UNSTORABLE_CHARACTER.search(text) is not None


def storable_datetime(value: datetime | None) -> datetime | None:
    """`value` in UTC; a ValidationError when PostgreSQL or Python could not hold it."""
    if value is None or value.tzinfo is None:
        return value
    offset = value.utcoffset()
    if abs(offset) > MAX_UTC_OFFSET:
        raise ValidationError(
            "The UTC offset must be between -15:59 and +15:59.", code="offset_out_of_range"
        )
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValidationError(
            "Out of range: give an instant between 0001-01-01 and 9999-12-31 UTC.",
            code="out_of_range",
        ) from None
