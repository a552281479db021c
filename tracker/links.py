"""Links to this site from outside a request (emails, feeds, calendars), built on SITE_URL."""

import functools
import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# What `reverse` puts in a path as it is: Django's signed values are made of these.
_KEPT_AS_IS = re.compile(r"[A-Za-z0-9_.:~-]+")
_MARK = "0link0token0"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def reverse_with_token(viewname: str, token: str) -> str:
    """`reverse(viewname, args=[token])`, with the URL patterns searched once per view
    rather than once per link: a link per email sent cost more to reverse than to sign."""
    if not _KEPT_AS_IS.fullmatch(token):
        return reverse(viewname, args=[token])
    before, after = _around_token(
        viewname, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()
    )
    return f"{before}{token}{after}"


@functools.lru_cache(maxsize=32)
def _around_token(viewname: str, urlconf, script_prefix: str) -> tuple[str, str]:
    before, after = reverse(viewname, args=[_MARK]).rsplit(_MARK, 1)
    return before, after
