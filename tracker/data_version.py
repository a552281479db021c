"""When the public data last changed, in one cheap query.

The public pages and the API's read cache both key what they keep on this version, so
nothing kept is served after a change. It is read from the data itself: the newest
history row of each audited model (each create, edit and delete writes one, on an
indexed column), the newest `updated_at` of deals, proceedings and parties, and the
newest id of each history table and of the rows without history. Coarse (an edit
anywhere renews every key), and correct whichever process or command wrote the change.
One window remains: a transaction that wrote before another but commits after it, once
a reader has seen the other's commit, goes unseen until the next change or until what
was kept expires (PAGES_RENDER_CACHE_SECONDS, API_RESPONSE_CACHE_SECONDS).
"""

from __future__ import annotations

import datetime
import functools
import time
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from regulators.models import Court, Regulator

from .models import (
    ClockStop,
    DeadlineExtension,
    DeadlinePeriod,
    Deal,
    DealParty,
    Event,
    Party,
    Review,
    ReviewDeal,
)

# Models whose history rows record every create, edit and delete of what readers see.
AUDITED = (Deal, Party, Review, Event, ClockStop, DeadlineExtension, Regulator, Court)

# Rows without history or an indexed timestamp: a new one shows as a higher id (the
# primary key's index answers at once; their changes otherwise come with a proceeding's
# or a deal's save, which the columns above see).
WATCHED_IDS = (DealParty, ReviewDeal, DeadlinePeriod)


@dataclass(frozen=True)
class DataVersion:
    changed_at: datetime.datetime | None
    marker: str

    @property
    def key(self) -> str:
        """The version as one string, for cache keys and validators."""
        stamp = self.changed_at.isoformat() if self.changed_at else "-"
        return f"{stamp}|{self.marker}"


# Worked out once: the tables do not change while the process runs, and the regulators'
# models (plain simple-history, below database.history) still build a manager class on each
# read of `Model.history`.
@functools.cache
def _stamp_columns() -> list[tuple[str, str]]:
    """The moments: when the data last changed, for Last-Modified."""
    columns = [(model.history.model._meta.db_table, "history_date") for model in AUDITED]
    return columns + [(model._meta.db_table, "updated_at") for model in (Deal, Review, Party)]


@functools.cache
def _id_columns() -> list[tuple[str, str]]:
    """The counters: a new history row or link has a higher id whatever the clock says
    (two changes in the same microsecond, or a clock held still)."""
    columns = [
        (model.history.model._meta.db_table, model.history.model._meta.pk.column)
        for model in AUDITED
    ]
    return columns + [(model._meta.db_table, "id") for model in WATCHED_IDS]


@functools.cache
def version_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = _stamp_columns() + _id_columns()
    maxima = [f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for table, column in columns]  # noqa: S608 the models' own table and column names, quoted
    return f"SELECT {', '.join(maxima)}"


def _read_row(sql: str) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()


def data_version() -> DataVersion:
    """When the public data last changed, and the newest id of rows without timestamps,
    in one query of indexed maxima."""
    row = _read_row(version_sql(connection.vendor))
    split = len(_stamp_columns())
    stamps, ids = row[:split], row[split:]
    # SQLite hands back text, PostgreSQL datetimes; both are stored in UTC.
    moments: list[datetime.datetime] = []
    for value in stamps:
        moment = parse_datetime(value) if isinstance(value, str) else value
        if moment is not None:
            moments.append(
                timezone.make_aware(moment, datetime.UTC) if timezone.is_naive(moment) else moment
            )
    return DataVersion(max(moments, default=None), ",".join(str(i) for i in ids))


class KeptWhileUnchanged:
    """What `make()` works out from the public data, kept in this process until the data
    changes (or `max_seconds` pass, so a process left idle does not keep it for ever).
    For renderings that many tasks in a row would otherwise make again: one query of the
    version per `get()` instead."""

    def __init__(self, make, max_seconds: float = 3600):
        self._make = make
        self._max_seconds = max_seconds
        self._version: str | None = None
        self._made_at = 0.0
        self._value = None

    def get(self):
        version = data_version().key
        now = time.monotonic()
        if version != self._version or now - self._made_at > self._max_seconds:
            self._value, self._version, self._made_at = self._make(), version, now
        return self._value
