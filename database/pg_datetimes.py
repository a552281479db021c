"""Aware datetimes are sent to PostgreSQL in UTC.

PostgreSQL refuses a UTC offset beyond 15:59 ("time zone displacement out of range")
where Python allows up to 23:59, so a value parsed from input by code that does not
validate it (an admin lookup in the query string, say) would fail mid-query. The API
refuses such input with a 400 (api.validators); this is the net beneath every other
path. An instant that leaves Python's range in UTC is sent as the range's end: no
stored value lies beyond it, so comparisons with it answer the same.
"""

from __future__ import annotations

from datetime import UTC, datetime

import psycopg
from psycopg.types.datetime import DatetimeDumper

EARLIEST = datetime.min.replace(tzinfo=UTC)
LATEST = datetime.max.replace(tzinfo=UTC)


def in_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        return LATEST if value.year > 1 else EARLIEST


class UTCDatetimeDumper(DatetimeDumper):
    def dump(self, obj: datetime):
        return super().dump(in_utc(obj))


def register() -> None:
    """Call before the first connection: Django copies psycopg's adapters when it connects."""
    psycopg.adapters.register_dumper(datetime, UTCDatetimeDumper)
