"""Importing N CMA cases from a local register into an empty PostgreSQL database, then the
same import again with nothing changed. Prints one JSON line.

    python bench/imports.py N

The register is bench/registry_server.py in a process of its own. The request-rate limit is
turned off (IMPORTS_REQUESTS_PER_SECOND=0): politeness towards GOV.UK would otherwise be
what is measured (at the default 4 requests a second, 5,000 cases take 21 minutes).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.servers import free_port, wait_for_http


def fresh_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@contextlib.contextmanager
def local_register(count: int):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "bench.registry_server", str(port), str(count)], cwd=ROOT
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}/")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def backend_cpu_seconds(connection) -> float | None:
    """CPU time used so far by the PostgreSQL backend serving `connection`: readable when the
    server runs on this machine (Linux), None otherwise."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def timed_run(connection):
    from imports.runner import run_import

    counter = QueryCounter()
    database_before = backend_cpu_seconds(connection)
    started, cpu_started, main_started = time.monotonic(), time.process_time(), time.thread_time()
    with connection.execute_wrapper(counter):
        report = run_import("cma")
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu_started
    main_cpu = time.thread_time() - main_started
    database_after = backend_cpu_seconds(connection)
    run = report.run
    return {
        "seconds": round(seconds, 2),
        "queries": counter.count,
        "status": run.status,
        # Load-independent beside the wall clock on a shared machine: the CPU the importer (all its
        # threads) and its database backend used. The items are written one after another by the
        # main thread while the prefetch threads fetch and parse the next ones: on an idle machine
        # with a core for those, the run takes about the main thread's CPU plus the backend's.
        "importer_cpu": round(cpu, 2),
        "importer_main_cpu": round(main_cpu, 2),
        "database_cpu": None
        if database_before is None
        else round(database_after - database_before, 2),
        **{
            name: getattr(run, name)
            for name in (
                "fetched",
                "created",
                "updated",
                "unchanged",
                "queued",
                "skipped",
                "failed",
            )
        },
    }


def main(count: int) -> None:
    url = os.environ.get(
        "BENCH_IMPORTS_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tracker_bench_imports"
    )
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())  # the machine may be shared
    fresh_database(url)
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("CELERY_BROKER_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    with local_register(count) as register:
        os.environ.update(
            DATABASE_URL=url,
            DJANGO_SETTINGS_MODULE="config.settings",
            GOVUK_API_URL=register,
            IMPORTS_REQUESTS_PER_SECOND="0",
            LOG_LEVEL="WARNING",
            CELERY_BROKER_URL="",
        )
        import django

        django.setup()
        from django.db import connection

        first = timed_run(connection)
        again = timed_run(connection)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT count(*) FROM tracker_review), (SELECT count(*) FROM tracker_event), "
                "(SELECT count(*) FROM tracker_party), (SELECT count(*) FROM tracker_deal)"
            )
            reviews, events, parties, deals = cursor.fetchone()
    load_after = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    from django.conf import settings

    print(
        json.dumps(
            {
                "cases": count,
                "prefetch": settings.IMPORTS_PREFETCH,
                "first": first,
                "again": again,
                "reviews": reviews,
                "events": events,
                "parties": parties,
                "deals": deals,
                "load": load,
                "load_after": load_after,
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
