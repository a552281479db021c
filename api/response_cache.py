"""Public reads answered from kept JSON: conditional GET without building the body.

Every read of public data (lists, details, a deal's timeline, a proceeding's events)
shows the same tables whoever asks, so its JSON is kept in Django's cache under the
request's address, the accepted media type, today's date and the data's version
(tracker.data_version: one cheap query that moves with any change). A reader whose
If-None-Match holds the kept ETag gets a 304, and any other reader the kept bytes, after
that one query and one cache read: no ORM, serializer or renderer runs. A change renews
the key, so nothing stale is served.

Authentication, permissions and throttling have run before (the wrapped actions are
DRF's), so a kept answer is still rate-limited. Only JSON is kept: CSV is streamed, and
the browsable API is for people. API_RESPONSE_CACHE_SECONDS = 0 turns keeping off; the
validators stay (a 304 then costs the body's building, not its sending).
"""

from __future__ import annotations

import functools
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import quote_etag
from rest_framework.response import Response

from tracker.data_version import data_version

from .mixins import names_tag

# Headers of the built answer worth keeping; DRF and the middleware add the rest again.
KEPT_HEADERS = ("Content-Type", "ETag", "X-Count-Estimate", "Link")


def _key(request) -> str:
    fingerprint = "|".join(
        (
            request.build_absolute_uri(),
            request.accepted_media_type,
            timezone.localdate().isoformat(),
            data_version().key,
        )
    )
    return "api-read:" + hashlib.sha256(fingerprint.encode()).hexdigest()


def keepable(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and getattr(request.accepted_renderer, "format", None) == "json"
    )


def body_etag(body: bytes) -> str:
    return quote_etag(hashlib.sha256(body).hexdigest()[:32])


def _built(view, request, response: Response) -> tuple[int, bytes, dict]:
    """Render the action's response as DRF would, and what of it to keep."""
    response.accepted_renderer = request.accepted_renderer
    response.accepted_media_type = request.accepted_media_type
    response.renderer_context = view.get_renderer_context()
    response.render()
    body = response.content
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    headers.setdefault("ETag", body_etag(body))
    return response.status_code, body, headers


def _answer(request, status: int, body: bytes, headers: dict) -> HttpResponse:
    if names_tag(request.headers.get("If-None-Match", ""), headers["ETag"]):
        not_modified = HttpResponse(status=304, headers={"ETag": headers["ETag"]})
        del not_modified["Content-Type"]  # no body, so no type
        return not_modified
    return HttpResponse(body, status=status, headers=headers)


def kept_read(action):
    """Decorate a viewset's read action: its JSON is kept and validated as above."""

    @functools.wraps(action)
    def wrapper(view, request, *args, **kwargs):
        if not keepable(request):
            return action(view, request, *args, **kwargs)
        seconds = settings.API_RESPONSE_CACHE_SECONDS
        key = _key(request) if seconds else None
        kept = cache.get(key) if key else None
        if kept is None:
            response = action(view, request, *args, **kwargs)
            if not isinstance(response, Response) or response.status_code != 200:
                return response
            kept = _built(view, request, response)
            if key:
                cache.set(key, kept, seconds)
        return _answer(request, *kept)

    return wrapper
