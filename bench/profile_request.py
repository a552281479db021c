"""Where a request's time goes: one endpoint served in-process (the whole Django stack:
middleware, DRF, serializers, rendering) under cProfile, by area.

    python bench/profile_request.py /api/v1/deals/<slug>/ [requests]

Needs DATABASE_URL (the benchmark's database). Prints the mean time per request, the
share of each area (own time of the functions in each package) and the top functions
by cumulative time.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("API_ANON_RATE", "off")
os.environ.setdefault("API_USER_RATE", "off")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")  # as the benchmark serves it
os.environ.setdefault("CONN_MAX_AGE", "600")

import django

django.setup()

from django.test import Client

AREAS = [
    ("database driver", ("psycopg",)),
    ("ORM and SQL compiler", ("django/db/",)),
    (
        "DRF views, negotiation, auth, throttling",
        (
            "rest_framework/views",
            "rest_framework/request",
            "rest_framework/negotiation",
            "rest_framework/authentication",
            "rest_framework/throttling",
            "rest_framework/permissions",
            "rest_framework/generics",
            "rest_framework/viewsets",
        ),
    ),
    (
        "serializers",
        ("rest_framework/serializers", "rest_framework/fields", "api/serializers", "api/dates"),
    ),
    ("JSON rendering", ("rest_framework/renderers", "json/", "orjson", "api/renderers")),
    ("django-filter", ("django_filters",)),
    (
        "middleware and request handling",
        (
            "django/core/handlers",
            "django/middleware",
            "django/contrib/sessions",
            "django/contrib/auth",
            "api/middleware",
            "whitenoise",
            "django/http",
            "django/utils/cache",
        ),
    ),
    ("URL resolving", ("django/urls",)),
    ("ETag", ("hashlib", "api/mixins")),
]


def area_of(filename: str) -> str:
    for area, needles in AREAS:
        if any(needle in filename for needle in needles):
            return area
    return "other"


def main() -> None:
    path = sys.argv[1]
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 500
    client = Client()
    for _ in range(20):  # warm: imports, compiled plans, connections
        assert client.get(path, HTTP_HOST="127.0.0.1").status_code == 200
    started = time.perf_counter()
    for _ in range(requests):
        client.get(path, HTTP_HOST="127.0.0.1")
    plain = (time.perf_counter() - started) / requests
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        client.get(path, HTTP_HOST="127.0.0.1")
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_area: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _, _), (_, _, own, _, _) in stats.stats.items():
        by_area[area_of(filename)] += own
        total += own
    print(f"{path}: {plain * 1000:.2f} ms per request unprofiled ({requests} requests)")
    for area, seconds in sorted(by_area.items(), key=lambda item: -item[1]):
        print(f"  {area:45s} {100 * seconds / total:5.1f} %")
    stats.sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
