"""What one request costs in-process, built in full (no kept answers): queries, Python
function calls and CPU milliseconds, for the list pages and the searches.

    python bench/request_costs.py [--requests 30] [--bodies FILE]

Needs DATABASE_URL (the benchmark's data set, see bench/run.py). CPU time is the
process's own (time.process_time), so it does not move with the machine's load; calls
are counted by cProfile over one request. `--bodies FILE` writes each response's SHA-256
as JSON, to compare the bodies of two versions of the code byte for byte.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["API_RESPONSE_CACHE_SECONDS"] = "0"  # every body built in full
os.environ.setdefault("API_ANON_RATE", "off")
os.environ.setdefault("API_USER_RATE", "off")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-" + "x" * 60)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("CONN_MAX_AGE", "600")

import django

django.setup()

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from api import keyset

DEEP_PAGE = 2000
DEEPEST_NUMBERED_PAGE = 200  # of 50 rows: the 10,000th row, as deep as numbered pages go
REVIEWS_ORDER = [
    keyset.Key("opened_on", descending=True, nulls_first=True),
    keyset.Key("id", descending=True, nulls_first=True),
]


def sample_values() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reference FROM tracker_review WHERE reference LIKE 'GEN/%%' ORDER BY id "
            "LIMIT 1 OFFSET 4321"
        )
        reference = cursor.fetchone()[0]
        cursor.execute(
            "SELECT opened_on, id FROM tracker_review ORDER BY opened_on DESC NULLS FIRST, id DESC "
            "LIMIT 1 OFFSET %s",
            [(DEEP_PAGE - 1) * 50 - 1],
        )
        before_deep_page = cursor.fetchone()
        cursor.execute(
            "SELECT d.slug FROM tracker_deal d JOIN tracker_event e ON e.deal_id = d.id "
            "WHERE d.slug LIKE 'gen-%%' GROUP BY d.slug ORDER BY count(*) DESC, d.slug LIMIT 1"
        )
        deal_slug = cursor.fetchone()[0]
        cursor.execute("SELECT id FROM tracker_review ORDER BY id LIMIT 1 OFFSET 777")
        review_id = cursor.fetchone()[0]
    return {
        "reference_part": reference.rsplit("/", 1)[0] + "/",
        "deal_slug": deal_slug,
        "review_id": review_id,
        "deep_cursor": keyset.encode(REVIEWS_ORDER, before_deep_page),
    }


def paths(values: dict) -> list[str]:
    return [
        "/api/v1/reviews/",
        "/api/v1/deals/",
        "/api/v1/events/",
        "/api/v1/events/?q=filing",
        "/api/v1/events/?q=123457",
        "/api/v1/events/?q=zebra",
        "/api/v1/reviews/?q=cleared",
        "/api/v1/reviews/?q=1234",
        "/api/v1/reviews/?q=zebra",
        f"/api/v1/reviews/?q={values['reference_part']}",
        "/api/v1/deals/?q=cloud",
        "/api/v1/deals/?q=1234",
        "/api/v1/deals/?q=zebra",
        f"/api/v1/reviews/?page={DEEPEST_NUMBERED_PAGE}",
        f"/api/v1/reviews/?cursor={values['deep_cursor']}",
        # Not measured against a target; their bodies are compared.
        "/api/v1/reviews/?page_size=200",
        "/api/v1/deals/?page_size=200&page=3",
        f"/api/v1/deals/{values['deal_slug']}/",
        f"/api/v1/deals/{values['deal_slug']}/timeline/",
        f"/api/v1/reviews/{values['review_id']}/",
        f"/api/v1/reviews/{values['review_id']}/events/",
        "/api/v1/reviews/?format=csv&page_size=50&q=1234",
    ]


def fetch(client: Client, path: str) -> bytes:
    """The whole body (a streamed one read to its end, as its rows are built while read)."""
    response = client.get(path, HTTP_HOST="127.0.0.1")
    assert response.status_code == 200, (path, response.status_code)
    return b"".join(response.streaming_content) if response.streaming else response.content


def measure(client: Client, path: str, requests: int) -> dict:
    for _ in range(3):  # warm: plans compiled, connection open
        body = fetch(client, path)
    with CaptureQueriesContext(connection) as captured:
        fetch(client, path)
    queries = len(captured.captured_queries)  # read now: the next request empties the log
    profiler = cProfile.Profile()
    profiler.enable()
    fetch(client, path)
    profiler.disable()
    calls = pstats.Stats(profiler).total_calls
    started = time.process_time()
    for _ in range(requests):
        fetch(client, path)
    cpu_ms = (time.process_time() - started) * 1000 / requests
    return {
        "queries": queries,
        "calls": calls,
        "cpu_ms": round(cpu_ms, 2),
        "sha256": hashlib.sha256(body).hexdigest(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--bodies")
    args = parser.parse_args()
    client = Client()
    results = {path: measure(client, path, args.requests) for path in paths(sample_values())}
    print(f"{'request':70s} {'queries':>7s} {'calls':>8s} {'CPU ms':>8s}")
    for path, result in results.items():
        print(
            f"{path[:70]:70s} {result['queries']:7d} {result['calls']:8d} {result['cpu_ms']:8.2f}"
        )
    if args.bodies:
        Path(args.bodies).write_text(
            json.dumps({path: result["sha256"] for path, result in results.items()}, indent=1)
        )


if __name__ == "__main__":
    main()
