"""Links to this site from outside a request (emails, feeds, calendars), built on SITE_URL."""

from django.conf import settings


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
