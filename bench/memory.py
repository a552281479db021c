"""A worker's memory over 10,000 mixed requests: one gunicorn worker (so every request
meets the same process) serves deals, timelines, lists at many pages, searches and
public pages, in a fixed shuffled order; its resident set size is read from /proc every
1,000 requests. Prints one JSON line.

    python bench/memory.py <database url> [requests]
"""

from __future__ import annotations

import http.client
import json
import random
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import api_environment
from bench.servers import gunicorn_process, worker_pids

WORDS = (
    "cloud",
    "filing",
    "cleared",
    "merger",
    "zebra",
    "1234",
    "remedies",
    "phase",
    "chips",
    "GEN/8",
)


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for {pid}")


def mixed_paths(url: str, count: int) -> list[str]:
    with psycopg.connect(url) as conn:
        slugs = [
            row[0] for row in conn.execute("SELECT slug FROM tracker_deal ORDER BY id LIMIT 400")
        ]
        reviews = [
            row[0] for row in conn.execute("SELECT id FROM tracker_review ORDER BY id LIMIT 200")
        ]
    shapes = [
        lambda r: f"/api/v1/deals/{r.choice(slugs)}/",
        lambda r: f"/api/v1/deals/{r.choice(slugs)}/timeline/?page_size=50",
        # As deep as numbered pages go (api.pagination.MAX_PAGE_DEPTH).
        lambda r: f"/api/v1/reviews/?page={r.randint(1, 200)}&page_size=50",
        lambda r: f"/api/v1/reviews/{r.choice(reviews)}/",
        lambda r: f"/api/v1/events/?page_size={r.choice((10, 50, 100))}",
        lambda r: f"/api/v1/deals/?q={r.choice(WORDS)}",
        lambda r: f"/api/v1/events/?q={r.choice(WORDS)}",
        lambda r: f"/deals/{r.choice(slugs)}/",
        lambda r: f"/proceedings/{r.choice(reviews)}/",
    ]
    chooser = random.Random(20261201)
    return [chooser.choice(shapes)(chooser) for _ in range(count)]


def main(url: str, count: int) -> None:
    import os

    env = {**os.environ, "DATABASE_URL": url}
    paths = mixed_paths(url, count)
    samples = []
    with gunicorn_process("config.wsgi", api_environment(env), 1, "/api/v1/regulators/") as (
        port,
        master,
    ):
        (worker,) = worker_pids(master)
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        samples.append({"requests": 0, "rss_mib": round(rss_mib(worker), 1)})
        failed = 0
        for done, path in enumerate(paths, start=1):
            client.request("GET", path, headers={"Host": "127.0.0.1"})
            response = client.getresponse()
            response.read()
            failed += response.status >= 400
            if done % 1000 == 0:
                samples.append({"requests": done, "rss_mib": round(rss_mib(worker), 1)})
        client.close()
    print(json.dumps({"requests": count, "failed": failed, "samples": samples}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10_000)
