"""Validators and caching for the public pages.

Every page shows data from the same few tables, so one cheap query gives the moment the
public data last changed (tracker.data_version). A page's ETag is that version, the day
(upcoming deadlines and the timeline's "today" move with it) and the page's address; a client holding it gets a 304
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

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag

from tracker.data_version import DataVersion, data_version

MAX_AGE = 60


def page_validators(path: str, version: DataVersion, today: datetime.date):
    """(ETag, Last-Modified) of a page: the data's version and today's date, with its address."""
    start_of_day = datetime.datetime.combine(today, datetime.time.min, tzinfo=datetime.UTC)
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
