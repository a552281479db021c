"""Validators and caching for the public pages.

Every page shows data from the same few tables, so one cheap query gives the moment the
public data last changed: the newest history row of each audited model (each create,
edit and delete writes one, on an indexed column), the newest `updated_at` of deals,
proceedings and parties, and the newest id of the rows with neither. A page's ETag is
that version, the day (upcoming deadlines and the
timeline's "today" move with it) and the page's address; a client holding it gets a 304
before any page query runs. An edit anywhere renews every page's validators: coarse,
never stale.

The same key holds the rendered page in Django's cache for PAGES_RENDER_CACHE_SECONDS
(0 turns it off): readers without a validator get the stored body after that one query,
and a change renews the key, so nothing stale is served.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from regulators.models import Court, Regulator
from tracker.models import (
    ClockStop,
    Deal,
    DeadlineExtension,
    DealParty,
    DeadlinePeriod,
    Event,
    Party,
    Review,
    ReviewDeal,
)

MAX_AGE = 60

# Models whose history rows record every create, edit and delete of what the pages show.
AUDITED = (Deal, Party, Review, Event, ClockStop, DeadlineExtension, Regulator, Court)


def _watched_columns() -> list[tuple[str, str]]:
    columns = [(model.history.model._meta.db_table, "history_date") for model in AUDITED]
    columns += [
        (Deal._meta.db_table, "updated_at"),
        (Review._meta.db_table, "updated_at"),
        (Party._meta.db_table, "updated_at"),
    ]
    return columns


# Rows without history or an indexed timestamp: a new one shows as a higher id (the
# primary key's index answers at once; their changes otherwise come with a proceeding's
# or a deal's save, which the columns above see).
WATCHED_IDS = (DealParty, ReviewDeal, DeadlinePeriod)


@dataclass(frozen=True)
class DataVersion:
    changed_at: datetime.datetime | None
    marker: str


def data_version() -> DataVersion:
    """When the public data last changed, and the newest id of rows without timestamps,
    in one query of indexed maxima."""
    quote = connection.ops.quote_name
    maxima = [f"(SELECT MAX({quote(col)}) FROM {quote(table)})" for table, col in _watched_columns()]
    maxima += [f"(SELECT MAX({quote('id')}) FROM {quote(model._meta.db_table)})" for model in WATCHED_IDS]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(maxima)}")
        row = cursor.fetchone()
    stamps, ids = row[: len(row) - len(WATCHED_IDS)], row[len(row) - len(WATCHED_IDS) :]
    # SQLite hands back text, PostgreSQL datetimes; both are stored in UTC.
    moments = [parse_datetime(value) if isinstance(value, str) else value for value in stamps if value is not None]
    moments = [timezone.make_aware(m, datetime.timezone.utc) if timezone.is_naive(m) else m for m in moments]
    return DataVersion(max(moments, default=None), ",".join(str(i) for i in ids))


def page_validators(path: str, version: DataVersion, today: datetime.date):
    """(ETag, Last-Modified) of a page: the data's version and today's date, with its address."""
    start_of_day = datetime.datetime.combine(today, datetime.time.min, tzinfo=datetime.timezone.utc)
    changed_at = version.changed_at
    last_modified = max(changed_at, start_of_day) if changed_at else start_of_day
    fingerprint = f"{path}|{today.isoformat()}|{last_modified.isoformat()}|{version.marker}"
    return quote_etag(hashlib.sha256(fingerprint.encode()).hexdigest()[:32]), last_modified


def rendered(request, view, etag: str, args, kwargs) -> HttpResponse:
    """The page's response: from the render cache when this version of it is there."""
    seconds = settings.PAGES_RENDER_CACHE_SECONDS
    key = f"pages:{etag}"
    body = cache.get(key) if seconds else None
    if body is not None:
        return HttpResponse(body, content_type="text/html; charset=utf-8")
    response = view(request, *args, **kwargs)
    if seconds and response.status_code == 200:
        cache.set(key, response.content, seconds)
    return response


def public_page(view):
    """A public page: conditional GET (304 on a matching If-None-Match or If-Modified-Since),
    the rendered page cached under its validators, and short shared caching."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        etag, last_modified = page_validators(
            request.get_full_path(), data_version(), timezone.localdate()
        )
        timestamp = int(last_modified.timestamp())
        response = get_conditional_response(request, etag=etag, last_modified=timestamp)
        if response is None:
            response = rendered(request, view, etag, args, kwargs)
        # Errors (a 404, a refused search) are neither validated nor shared.
        if response.status_code in (200, 304):
            response.headers.setdefault("ETag", etag)
            response.headers.setdefault("Last-Modified", http_date(timestamp))
            patch_cache_control(response, public=True, max_age=MAX_AGE)
        return response

    return wrapper
