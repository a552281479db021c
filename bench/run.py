"""`make bench`: API throughput against a raw baseline, the deal page, query counts, fan-out and digests.

Runs on PostgreSQL (BENCH_DATABASE_URL, default a database of its own on the local
server), generates the data set once per scale, serves the API and the baseline with
the same gunicorn settings, loads each with wrk from a separate process, and writes the
table to BENCHMARKS.md with the machine's description.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import machine, pages, servers, wrk  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCALES = {
    "full": {"deals": 20_000, "events": 1_000_000, "reviews_per_deal": 5, "subscribers": 10_000,
             "digest_users": 10_000, "duration": 15},
    "small": {"deals": 1_000, "events": 50_000, "reviews_per_deal": 5, "subscribers": 1_000,
              "digest_users": 1_000, "duration": 5},
}
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
        capture_output=capture,
    )
    return result.stdout if capture else ""


def prepare_data(env: dict, url: str, scale: dict) -> dict:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage({**env, "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 60}, "collectstatic", "--noinput", "-v", "0")
    with psycopg.connect(url) as conn:
        deals, events, covered = conn.execute(
            "SELECT (SELECT count(*) FROM tracker_deal WHERE slug LIKE 'gen-%%'), "
            "(SELECT count(*) FROM tracker_event e JOIN tracker_deal d ON d.id = e.deal_id WHERE d.slug LIKE 'gen-%%'), "
            "(SELECT count(*) FROM tracker_reviewdeal rd JOIN tracker_deal d ON d.id = rd.deal_id "
            "WHERE d.slug LIKE 'gen-%%')"
        ).fetchone()
    # A data set from before generated reviews covered their deals is made again.
    if (deals, events) != (scale["deals"], scale["events"]) or not covered:
        log(f"generating {scale['deals']} deals, {scale['events']} events (found {deals}, {events})")
        started = time.monotonic()
        manage(env, "generate_data", "--reset", "--deals", str(scale["deals"]), "--events", str(scale["events"]),
               "--reviews-per-deal", str(scale["reviews_per_deal"]))
        log(f"generated in {time.monotonic() - started:.0f} s")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM tracker_deal), (SELECT count(*) FROM tracker_review), "
            "(SELECT count(*) FROM tracker_event), (SELECT count(*) FROM regulators_regulator)"
        ).fetchone()
        # A deal with a long timeline, and a regulator with many reviews, for the sample URLs.
        deal_slug = conn.execute(
            "SELECT d.slug FROM tracker_deal d JOIN tracker_event e ON e.deal_id = d.id "
            "WHERE d.slug LIKE 'gen-%%' GROUP BY d.slug ORDER BY count(*) DESC, d.slug LIMIT 1"
        ).fetchone()[0]
        regulator = conn.execute(
            "SELECT g.slug FROM regulators_regulator g JOIN tracker_review r ON r.regulator_id = g.id "
            "GROUP BY g.slug ORDER BY count(*) DESC, g.slug LIMIT 1"
        ).fetchone()[0]
    return {"deals": counts[0], "reviews": counts[1], "events": counts[2], "regulators": counts[3],
            "deal_slug": deal_slug, "regulator": regulator}


def endpoints(data: dict) -> dict[str, str]:
    return {
        "reviews list (open, one regulator)": f"/api/v1/reviews/?regulator={data['regulator']}&open=true&page_size=50",
        "deal detail": f"/api/v1/deals/{data['deal_slug']}/",
        "deal timeline": f"/api/v1/deals/{data['deal_slug']}/timeline/?page_size=50",
        "events feed": "/api/v1/events/?page_size=50",
    }


def fetch_json(port: int, path: str) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return json.loads(response.read())


def same_json(api: dict, baseline: dict) -> bool:
    """Compare bodies; `next`/`previous` links differ only by host and cursor encoding."""
    strip = {"next", "previous"}
    return {k: v for k, v in api.items() if k not in strip} == {k: v for k, v in baseline.items() if k not in strip}


def served_env(env: dict) -> dict:
    return {
        **env, "DEBUG": "false", "SECRET_KEY": "bench-" + "x" * 60, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # One load generator is one client: throttled, it would measure 429s.
        "SECURE_SSL_REDIRECT": "false", "API_ANON_RATE": "off", "API_USER_RATE": "off", "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
    }


def load_test(scale: dict, data: dict, env: dict, url: str) -> list[dict]:
    api_env = served_env(env)
    rows = []
    with servers.gunicorn("tracker.wsgi", api_env, WORKERS, "/api/v1/regulators/") as api_port, \
            servers.gunicorn("bench.baseline:app", {**env, "BASELINE_DATABASE_URL": url}, WORKERS,
                             endpoints(data)["deal detail"]) as base_port:
        for name, path in endpoints(data).items():
            matches = same_json(fetch_json(api_port, path), fetch_json(base_port, path))
            ours = wrk.run(f"http://127.0.0.1:{api_port}{path}", duration=scale["duration"], connections=CONNECTIONS)
            base = wrk.run(f"http://127.0.0.1:{base_port}{path}", duration=scale["duration"], connections=CONNECTIONS)
            log(f"{name}: {ours.rps:.0f} req/s (p50 {ours.p50_ms:.1f} ms, p99 {ours.p99_ms:.1f} ms, "
                f"{ours.errors} errors) vs baseline {base.rps:.0f} req/s ({base.errors} errors); same JSON: {matches}")
            rows.append({"endpoint": name, "path": path, "ours": ours, "baseline": base, "same_json": matches})
    return rows


def query_counts(env: dict, data: dict) -> dict:
    script = ROOT / "bench" / "query_counts.py"
    out = subprocess.run([sys.executable, str(script), data["deal_slug"], data["regulator"]], cwd=ROOT, env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def optional_stage(name: str, env: dict, *args: str) -> dict | None:
    """Fan-out and digests run as their own scripts; a missing piece is reported, not hidden."""
    script = ROOT / "bench" / f"{name}.py"
    if not script.exists():
        return None
    out = subprocess.run([sys.executable, str(script), *args], cwd=ROOT, env=env, text=True, capture_output=True)
    if out.returncode != 0:
        log(f"{name} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
        return {"error": (out.stderr or out.stdout)[-500:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def write_report(path: Path, scale_name: str, data: dict, rows: list[dict], counts: dict, fanout, digests,
                 description: str, deal_page: dict | None = None) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with `make bench BENCH_SCALE={scale_name}` on "
        f"{description}.",
        "",
        f"Data: {data['deals']:,} deals, {data['reviews']:,} reviews, {data['events']:,} events, "
        f"{data['regulators']} regulators. API and baseline each served by gunicorn with {WORKERS} sync workers; "
        f"load from wrk (a separate process) with {CONNECTIONS} connections for {SCALES[scale_name]['duration']} s "
        "per endpoint, after one warm-up request. DEBUG off; throttling off (`API_ANON_RATE=off`, "
        "`API_USER_RATE=off`), since one load generator is one client. Errors are non-2xx answers and socket errors "
        "as wrk counts them; a row with errors does not measure the endpoint.",
        "",
        "## API reads against the raw baseline",
        "",
        "The baseline answers the same URLs with the same JSON (checked per endpoint) from hand-written SQL "
        "through psycopg and `json.dumps`, without Django or DRF.",
        "",
        "| endpoint | ours req/s | ours p50 ms | ours p99 ms | baseline req/s | baseline p99 ms | ours / baseline "
        "| same JSON | errors (ours, baseline) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: |",
    ]
    for row in rows:
        ours, base = row["ours"], row["baseline"]
        lines.append(
            f"| {row['endpoint']} | {ours.rps:.0f} | {ours.p50_ms:.1f} | {ours.p99_ms:.1f} | {base.rps:.0f} | "
            f"{base.p99_ms:.1f} | {ours.rps / base.rps:.2f} | {'yes' if row['same_json'] else 'NO'} | "
            f"{ours.errors}, {base.errors} |"
        )
    lines += ["", "URLs: " + "; ".join(f"`{r['path']}`" for r in rows), ""]
    lines += [*pages.report_lines(deal_page), ""]
    lines += ["## Queries per request", "", "| endpoint | page size 1 | page size 10 | page size 50 | page size 200 |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for name, by_size in counts.items():
        lines.append(f"| {name} | " + " | ".join(str(by_size[str(s)]) for s in (1, 10, 50, 200)) + " |")
    lines += ["", "## Fan-out", ""]
    if fanout is None:
        lines.append("Not measured in this run (no fan-out stage).")
    elif "error" in fanout:
        lines.append(f"Failed: `{fanout['error'].strip()}`")
    else:
        lines.append(
            f"One status change followed by {fanout['subscribers']:,} subscribers ({fanout['emails']:,} email to a "
            f"local SMTP sink, {fanout['webhooks']:,} webhooks to a local receiver), a real Celery worker "
            f"({fanout['concurrency']} processes) on Redis: all delivered {fanout['seconds']:.1f} s after commit "
            f"(recording the deliveries in the transaction: {fanout['record_seconds']:.2f} s)."
        )
    lines += ["", "## Daily digests", ""]
    if digests is None:
        lines.append("Not measured in this run (no digest stage).")
    elif "error" in digests:
        lines.append(f"Failed: `{digests['error'].strip()}`")
    else:
        lines.append(
            f"{digests['users']:,} users with daily subscriptions: {digests['sent']:,} digests sent in "
            f"{digests['seconds']:.1f} s by a real Celery worker ({digests['concurrency']} processes) to a local "
            "SMTP sink."
        )
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", default=os.environ.get("BENCH_SCALE", "full"), choices=sorted(SCALES))
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--skip", default=os.environ.get("BENCH_SKIP", ""),
                        help="Comma-separated stages to leave out: api, pages, fanout, digests.")
    args = parser.parse_args()
    scale = SCALES[args.scale]
    url = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/tracker_bench_{args.scale}")
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    env.pop("CELERY_BROKER_URL", None)
    wrk.ensure_wrk()
    ensure_database(url)
    data = prepare_data(env, url, scale)
    log(f"data: {data}")
    skip = set(filter(None, args.skip.split(",")))
    rows = [] if "api" in skip else load_test(scale, data, env, url)
    deal_page = None
    if "pages" not in skip:
        deal_page = pages.load_test(served_env(env), data, WORKERS, CONNECTIONS, scale["duration"])
        for name, result in deal_page["rows"]:
            log(f"{name}: {result.rps:.0f} req/s (p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, "
                f"{result.errors} errors)")
    counts = query_counts(env, data)
    log(f"query counts: {counts}")
    broker = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/9")
    stage_env = {**env, "BENCH_BROKER_URL": broker}
    fanout = None if "fanout" in skip else optional_stage("fanout", stage_env, str(scale["subscribers"]))
    log(f"fan-out: {fanout}")
    digests = None if "digests" in skip else optional_stage("digests", stage_env, str(scale["digest_users"]))
    log(f"digests: {digests}")
    report = write_report(Path(args.output), args.scale, data, rows, counts, fanout, digests,
                          machine.describe(url), deal_page)
    print(report)


if __name__ == "__main__":
    main()
