"""The query plans of the benchmark's searches: each query a search request runs, with
the scans PostgreSQL chose (which index) and its execution time.

    python bench/search_plans.py <part of a reference> <cursor of page 2000>    (DATABASE_URL: the benchmark's database)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
for name, value in {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "API_ANON_RATE": "off",
    "API_USER_RATE": "off",
    "DEBUG": "false",
    "SECRET_KEY": "bench-" + "x" * 60,
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "API_RESPONSE_CACHE_SECONDS": "0",
}.items():
    os.environ.setdefault(name, value)

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

SHOWN = ("Scan", "Execution Time", "Limit", "Sort Key")


def plan_lines(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {sql}")
        return [row[0] for row in cursor.fetchall() if any(word in row[0] for word in SHOWN)]


def main() -> None:
    reference_part, deep_cursor = sys.argv[1], sys.argv[2]
    paths = [
        "/api/v1/events/?q=filing",
        "/api/v1/events/?q=123457",
        "/api/v1/events/?q=zebra",
        "/api/v1/reviews/?q=cleared",
        "/api/v1/reviews/?q=1234",
        f"/api/v1/reviews/?q={reference_part}",
        "/api/v1/deals/?q=cloud",
        "/api/v1/deals/?q=1234",
        "/api/v1/deals/?q=zebra",
        "/api/v1/reviews/?page=2000",
        f"/api/v1/reviews/?cursor={deep_cursor}",
    ]
    client = Client()
    for path in paths:
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(path, HTTP_HOST="127.0.0.1").status_code
        print(f"{path} ({status}, {len(ctx.captured_queries)} queries)")
        for number, query in enumerate(ctx.captured_queries, 1):
            if not (query["sql"] or "").startswith(("SELECT", "(SELECT")):
                continue
            print(f"  query {number}: {query['sql'][:90]}...")
            for line in plan_lines(query["sql"]):
                print(f"    {line.strip()}")
        print()


if __name__ == "__main__":
    main()
