"""`make bench`: API throughput against a raw baseline, the public deal page, query counts,
fan-out, digests and registry imports (`--only imports` runs the imports stage alone).

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
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from django.conf import settings

from api import keyset
from bench import machine, pages, servers, wrk
from bench.machine import load_average

ROOT = Path(__file__).resolve().parent.parent
# The servers' key: the deep page's cursor is signed with it, as the API signs its own.
SECRET_KEY = "bench-" + "x" * 60
settings.configure(SECRET_KEY=SECRET_KEY)
FULL_SCALE = {
    "deals": 20_000,
    "events": 1_000_000,
    "reviews_per_deal": 5,
    "subscribers": 10_000,
    "digest_users": 10_000,
    "duration": 15,
    "cma_cases": 5_000,
    "memory_requests": 10_000,
}
SCALES = {
    "full": FULL_SCALE,
    # The full scale with five times the events: whether each ratio holds as the table grows.
    "growth": {**FULL_SCALE, "events": 5_000_000},
    "small": {
        "deals": 1_000,
        "events": 50_000,
        "reviews_per_deal": 5,
        "subscribers": 1_000,
        "digest_users": 1_000,
        "duration": 5,
        "cma_cases": 500,
        "memory_requests": 1_000,
    },
}
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1))))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "8"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
# p99 targets (ms) of the searches and the deep page, and the ratio target of the reads.
SEARCH_P99_MS = 50
DEEP_PAGE_P99_MS = 20
RATIO_TARGET = 0.5
DEEP_PAGE = 2000  # of 50 rows: the full scale's 100,000 reviews; the small scale's last page
MAX_PAGE_DEPTH = 10_000  # rows numbered pages reach (api.pagination.MAX_PAGE_DEPTH)


def p99_target(endpoint: str) -> int:
    return DEEP_PAGE_P99_MS if endpoint.startswith("reviews: page") else SEARCH_P99_MS


def deep_page(data: dict) -> int:
    return min(DEEP_PAGE, data["reviews"] // 50)


def deepest_numbered_page(data: dict) -> int:
    """The deepest numbered page of 50 a reader can ask for (api.pagination.MAX_PAGE_DEPTH)."""
    return min(MAX_PAGE_DEPTH // 50, data["reviews"] // 50)


def deep_cursor_name(data: dict) -> str:
    return f"reviews: page {deep_page(data)} by cursor"


# Seconds of the one-connection run of each search (enough requests for a p99 at 20 req/s).
ALONE_SECONDS = int(os.environ.get("BENCH_ALONE_SECONDS", "6"))
# The reviews list's own order (api.views.ReviewViewSet), as its cursors name positions.
REVIEWS_ORDER = [
    keyset.Key("opened_on", descending=True, nulls_first=True),
    keyset.Key("id", descending=True, nulls_first=True),
]


def log(message: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


def ensure_database(url: str) -> None:
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout if capture else ""


def prepare_data(env: dict, url: str, scale: dict) -> dict:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(production_environment(env), "collectstatic", "--noinput", "-v", "0")
    with psycopg.connect(url) as conn:
        deals, events, covered = conn.execute(
            "SELECT (SELECT count(*) FROM tracker_deal WHERE slug LIKE 'gen-%%'), "
            "(SELECT count(*) FROM tracker_event e JOIN tracker_deal d ON d.id = e.deal_id WHERE "
            "d.slug LIKE 'gen-%%'), "
            "(SELECT count(*) FROM tracker_reviewdeal rd JOIN tracker_deal d ON d.id = rd.deal_id "
            "WHERE d.slug LIKE 'gen-%%')"
        ).fetchone()
    # A data set from before generated reviews covered their deals is made again.
    if (deals, events) != (scale["deals"], scale["events"]) or not covered:
        log(
            f"generating {scale['deals']} deals, {scale['events']} events (found {deals}, {events})"
        )
        started = time.monotonic()
        subprocess.run(
            [
                sys.executable,
                "bench/generate_data.py",
                "--reset",
                "--deals",
                str(scale["deals"]),
                "--events",
                str(scale["events"]),
                "--reviews-per-deal",
                str(scale["reviews_per_deal"]),
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
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
        # A reference a user might type part of: the first two parts of one review's.
        reference = conn.execute(
            "SELECT reference FROM tracker_review WHERE reference LIKE 'GEN/%%' ORDER BY id LIMIT 1 OFFSET 4321"
        ).fetchone()[0]
        # The cursor of the deep page: the last row of the page before it.
        before_deep_page = conn.execute(
            "SELECT opened_on, id FROM tracker_review ORDER BY opened_on DESC NULLS FIRST, id DESC LIMIT 1 OFFSET %s",
            [(min(DEEP_PAGE, counts[1] // 50) - 1) * 50 - 1],
        ).fetchone()
    return {
        "deals": counts[0],
        "reviews": counts[1],
        "events": counts[2],
        "regulators": counts[3],
        "deal_slug": deal_slug,
        "regulator": regulator,
        "reference_part": reference.rsplit("/", 1)[0] + "/",
        "deep_cursor": keyset.encode(REVIEWS_ORDER, before_deep_page),
    }


def endpoints(data: dict) -> dict[str, str]:
    return {
        "reviews list (open, one regulator)": f"/api/v1/reviews/?regulator={data['regulator']}&open=true&page_size=50",
        "deal detail": f"/api/v1/deals/{data['deal_slug']}/",
        "deal timeline": f"/api/v1/deals/{data['deal_slug']}/timeline/?page_size=50",
        "events feed": "/api/v1/events/?page_size=50",
    }


def searches(data: dict) -> dict[str, str]:
    """Searches users make (a common word, a rare one, one that matches nothing, part of
    a reference) and the deepest page of the reviews list: against p99 targets."""
    return {
        "events: common word": "/api/v1/events/?q=filing",
        "events: rare word": "/api/v1/events/?q=123457",
        "events: no match": "/api/v1/events/?q=zebra",
        "proceedings: common word": "/api/v1/reviews/?q=cleared",
        "proceedings: rare word": "/api/v1/reviews/?q=1234",
        "proceedings: no match": "/api/v1/reviews/?q=zebra",
        "proceedings: part of a reference": f"/api/v1/reviews/?q={data['reference_part']}",
        "deals: common word": "/api/v1/deals/?q=cloud",
        "deals: rare word": "/api/v1/deals/?q=1234",
        "deals: no match": "/api/v1/deals/?q=zebra",
        f"reviews: page {deepest_numbered_page(data)}": f"/api/v1/reviews/?page={deepest_numbered_page(data)}",
        deep_cursor_name(data): f"/api/v1/reviews/?cursor={data['deep_cursor']}",
    }


def fetch_json(port: int, path: str) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return json.loads(response.read())


def same_json(api: dict, baseline: dict) -> bool:
    """Compare bodies; `next`/`previous` links differ only by host and cursor encoding."""
    strip = {"next", "previous"}
    return {k: v for k, v in api.items() if k not in strip} == {
        k: v for k, v in baseline.items() if k not in strip
    }


def production_environment(env: dict) -> dict:
    """As the product runs in production: DEBUG off (it would keep every query's text)."""
    return {**env, "DEBUG": "false", "SECRET_KEY": SECRET_KEY}


def api_environment(env: dict) -> dict:
    return {
        **production_environment(env),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # One load generator is one client: throttled, it would measure 429s.
        "SECURE_SSL_REDIRECT": "false",
        "API_ANON_RATE": "off",
        "API_USER_RATE": "off",
        "LOG_LEVEL": "WARNING",
        "CONN_MAX_AGE": "600",
    }


def referenced(data: dict) -> list[str]:
    """The searches and pages the baseline also answers (bench/baseline.py): every
    proceedings search and the deep page by cursor, so their targets can be read against
    a server with no framework at all."""
    return [
        name
        for name in searches(data)
        if name.startswith("proceedings:") or name == deep_cursor_name(data)
    ]


def load_test(scale: dict, data: dict, env: dict, url: str) -> tuple[list[dict], list[dict]]:
    """One run: each read as served (kept JSON, api.response_cache) against the baseline;
    then, on a server that keeps nothing, each read built in full, each search and the deep
    page (a reader's new query is never one kept)."""
    rows, search_rows = [], []
    with (
        servers.gunicorn(
            "config.wsgi", api_environment(env), WORKERS, "/api/v1/regulators/"
        ) as api_port,
        servers.gunicorn(
            "bench.baseline:app",
            {**env, "BASELINE_DATABASE_URL": url},
            WORKERS,
            endpoints(data)["deal detail"],
        ) as base_port,
    ):
        for name, path in endpoints(data).items():
            matches = same_json(fetch_json(api_port, path), fetch_json(base_port, path))
            ours = wrk.run(
                f"http://127.0.0.1:{api_port}{path}",
                duration=scale["duration"],
                connections=CONNECTIONS,
            )
            base = wrk.run(
                f"http://127.0.0.1:{base_port}{path}",
                duration=scale["duration"],
                connections=CONNECTIONS,
            )
            log(
                f"{name}: {ours.rps:.0f} req/s (p50 {ours.p50_ms:.1f} ms, p99 {ours.p99_ms:.1f} ms, "
                f"{ours.errors} errors) vs baseline {base.rps:.0f} req/s ({base.errors} errors); same JSON: {matches}"
            )
            rows.append(
                {
                    "endpoint": name,
                    "path": path,
                    "ours": ours,
                    "baseline": base,
                    "same_json": matches,
                    "load": load_average(),
                }
            )
        conditional = conditional_get(api_port, endpoints(data)["deal detail"], scale)
        references = {}
        for name in referenced(data):
            path = searches(data)[name]
            same = same_json(fetch_json(api_port, path), fetch_json(base_port, path))
            base = wrk.run(
                f"http://127.0.0.1:{base_port}{path}",
                duration=scale["duration"],
                connections=CONNECTIONS,
            )
            log(
                f"{name}, baseline: {base.rps:.0f} req/s (p99 {base.p99_ms:.1f} ms); same JSON: {same}"
            )
            references[name] = {"baseline": base, "same_json": same}
    built_env = {**api_environment(env), "API_RESPONSE_CACHE_SECONDS": "0"}
    with servers.gunicorn("config.wsgi", built_env, WORKERS, "/api/v1/regulators/") as api_port:
        for row in rows:
            built = wrk.run(
                f"http://127.0.0.1:{api_port}{row['path']}",
                duration=scale["duration"],
                connections=CONNECTIONS,
            )
            log(
                f"{row['endpoint']}, built in full: {built.rps:.0f} req/s (p99 {built.p99_ms:.1f} ms)"
            )
            row["built"] = built
        for name, path in searches(data).items():
            fetch_json(api_port, path)  # warm-up, and a 4xx or 5xx fails the run here
            ours = wrk.run(
                f"http://127.0.0.1:{api_port}{path}",
                duration=scale["duration"],
                connections=CONNECTIONS,
            )
            log(
                f"{name}: {ours.rps:.0f} req/s (p50 {ours.p50_ms:.1f} ms, p99 {ours.p99_ms:.1f} ms, "
                f"{ours.errors} errors)"
            )
            # One reader alone: the latency of a search itself, without seven others queued beside it.
            alone = wrk.run(
                f"http://127.0.0.1:{api_port}{path}", duration=ALONE_SECONDS, connections=1
            )
            log(f"{name}, one connection: p50 {alone.p50_ms:.1f} ms, p99 {alone.p99_ms:.1f} ms")
            search_rows.append(
                {
                    "endpoint": name,
                    "path": path,
                    "ours": ours,
                    "alone": alone,
                    "load": load_average(),
                    **references.get(name, {}),
                }
            )
    rows[0]["conditional"] = conditional
    return rows, search_rows


def conditional_get(port: int, path: str, scale: dict):
    """The deal detail asked with the ETag a client already holds: answered 304."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}") as response:
        etag = response.headers["ETag"]
    result = wrk.run(
        f"http://127.0.0.1:{port}{path}",
        duration=scale["duration"],
        connections=CONNECTIONS,
        headers={"If-None-Match": etag},
    )
    log(
        f"deal detail, If-None-Match: {result.rps:.0f} req/s (p99 {result.p99_ms:.1f} ms, {result.errors} errors)"
    )
    return result


def median_spread(values: list[float], digits: int = 1) -> str:
    """ "median (min-max)" of a figure over the runs."""
    if len(values) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{statistics.median(values):.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def summarise(runs: list[tuple[list[dict], list[dict]]]) -> tuple[list[dict], list[dict]]:
    """Per endpoint, the figures of every run."""
    reads = []
    for index, first in enumerate(runs[0][0]):
        each = [run[0][index] for run in runs]
        reads.append(
            {
                "endpoint": first["endpoint"],
                "path": first["path"],
                "rps": [r["ours"].rps for r in each],
                "p50": [r["ours"].p50_ms for r in each],
                "p99": [r["ours"].p99_ms for r in each],
                "base_rps": [r["baseline"].rps for r in each],
                "base_p99": [r["baseline"].p99_ms for r in each],
                "ratio": [r["ours"].rps / r["baseline"].rps for r in each],
                "built_rps": [r["built"].rps for r in each],
                "built_p99": [r["built"].p99_ms for r in each],
                "built_ratio": [r["built"].rps / r["baseline"].rps for r in each],
                "conditional": [r["conditional"] for r in each if "conditional" in r],
                "same_json": all(r["same_json"] for r in each),
                "errors": (
                    sum(r["ours"].errors + r["built"].errors for r in each),
                    sum(r["baseline"].errors for r in each),
                ),
                "load": [r["load"] for r in each],
            }
        )
    found = []
    for index, first in enumerate(runs[0][1]):
        each = [run[1][index] for run in runs]
        found.append(
            {
                "endpoint": first["endpoint"],
                "path": first["path"],
                "rps": [r["ours"].rps for r in each],
                "p50": [r["ours"].p50_ms for r in each],
                "p99": [r["ours"].p99_ms for r in each],
                "errors": sum(r["ours"].errors for r in each),
                "load": [r["load"] for r in each],
                "alone_p50": [r["alone"].p50_ms for r in each],
                "alone_p99": [r["alone"].p99_ms for r in each],
                "base_rps": [r["baseline"].rps for r in each if "baseline" in r],
                "base_p99": [r["baseline"].p99_ms for r in each if "baseline" in r],
                "same_json": all(r.get("same_json", True) for r in each),
            }
        )
    return reads, found


def query_counts(env: dict, data: dict) -> dict:
    script = ROOT / "bench" / "query_counts.py"
    out = subprocess.run(
        [sys.executable, str(script), data["deal_slug"], data["regulator"]],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def search_plans(env: dict, data: dict) -> str:
    script = ROOT / "bench" / "search_plans.py"
    return subprocess.run(
        [sys.executable, str(script), data["reference_part"], data["deep_cursor"]],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def optional_stage(name: str, env: dict, *args: str) -> dict | None:
    """Fan-out and digests run as their own scripts; a missing piece is reported, not hidden."""
    script = ROOT / "bench" / f"{name}.py"
    if not script.exists():
        return None
    out = subprocess.run(
        [sys.executable, str(script), *args], cwd=ROOT, env=env, text=True, capture_output=True
    )
    if out.returncode != 0:
        log(f"{name} failed:\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
        return {"error": (out.stderr or out.stdout)[-500:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def worker_cpu(stage: dict) -> str:
    """The worker's CPU seconds: what the stage cost, whatever else the machine was doing."""
    return f"Worker CPU (its processes together, start-up included): {stage['worker_cpu_seconds']:.1f} s. "


def write_report(
    path: Path,
    scale_name: str,
    data: dict,
    reads: list[dict],
    found: list[dict],
    counts: dict,
    fanout,
    digests,
    description: str,
    plans: str,
    duration: int,
    deal_page: dict | None = None,
) -> str:
    runs = len(reads[0]["rps"]) if reads else 0
    lines = [
        "# Benchmarks",
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with `make bench BENCH_SCALE={scale_name}` on "
        f"{description}.",
        "",
        f"Data: {data['deals']:,} deals, {data['reviews']:,} reviews, {data['events']:,} events, "
        f"{data['regulators']} regulators. API and baseline each served by gunicorn with {WORKERS} sync workers; "
        f"load from wrk (a separate process) with {CONNECTIONS} connections for {duration} s "
        "per endpoint, after one warm-up request. DEBUG off; throttling off (`API_ANON_RATE=off`, "
        "`API_USER_RATE=off`), since one load generator is one client. Errors are non-2xx answers and socket errors "
        "as wrk counts them; a row with errors does not measure the endpoint.",
        "",
        f"Every figure is the median of {runs} runs, with the lowest and highest in brackets. The machine is "
        "shared: the load average (1 / 5 / 15 min) when each endpoint's load ended is given per row, run by run.",
        "",
        "## API reads against the raw baseline",
        "",
        "The baseline answers the same URLs with the same JSON (checked per endpoint) from hand-written SQL "
        "through psycopg, serialised with orjson, without Django or DRF: the fastest reasonable "
        f"framework-free server. Target: ours at least {RATIO_TARGET}x of it.",
        "",
        '"As served" is the product as it runs: a repeated read answered from its kept JSON '
        '(`api.response_cache`: the data version query and a cache read). "Built in full" is a second server '
        "with `API_RESPONSE_CACHE_SECONDS=0`, building every answer (the first read after any change costs this).",
        "",
        "| endpoint | as served req/s | p50 ms | p99 ms | baseline req/s | baseline p99 ms | as served / baseline "
        "| target met | built in full req/s | built p99 ms | built / baseline | same JSON | errors (ours, baseline) "
        "| load average |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: | ---: | ---: | :---: | ---: | --- |",
    ]
    for row in reads:
        ratio = statistics.median(row["ratio"])
        lines.append(
            f"| {row['endpoint']} | {median_spread(row['rps'], 0)} | {median_spread(row['p50'])} | "
            f"{median_spread(row['p99'])} | {median_spread(row['base_rps'], 0)} | {median_spread(row['base_p99'])} | "
            f"{median_spread(row['ratio'], 2)} | {'yes' if ratio >= RATIO_TARGET else 'no'} | "
            f"{median_spread(row['built_rps'], 0)} | {median_spread(row['built_p99'])} | "
            f"{median_spread(row['built_ratio'], 2)} | "
            f"{'yes' if row['same_json'] else 'NO'} | {row['errors'][0]}, {row['errors'][1]} | "
            f"{'; '.join(row['load'])} |"
        )
    lines += ["", "URLs: " + "; ".join(f"`{r['path']}`" for r in reads), ""]
    conditional = reads[0]["conditional"] if reads else []
    if conditional:
        lines += [
            "Conditional GET: the deal detail asked with the ETag the client holds (`If-None-Match`) is a 304 "
            f"without a body built: {median_spread([c.rps for c in conditional], 0)} req/s, p99 "
            f"{median_spread([c.p99_ms for c in conditional])} ms.",
            "",
        ]
    lines += [
        "## Search and deep pages",
        "",
        f"On the server that keeps nothing, so each request runs the "
        f"search. Targets: p99 under {SEARCH_P99_MS} ms for each search, under "
        f"{DEEP_PAGE_P99_MS} ms for the deep page.",
        "",
        f"Under load: {CONNECTIONS} connections, as for the reads. One reader: a single connection for "
        f"{ALONE_SECONDS} s, the latency of the request itself with nothing queued beside it. The target is "
        "judged on the figure under load.",
        "",
        "| request | URL | req/s | p50 ms | p99 ms | target met | one reader p50 ms | one reader p99 ms | errors "
        "| load average |",
        "| --- | --- | ---: | ---: | ---: | :---: | ---: | ---: | ---: | --- |",
    ]
    for row in found:
        met = statistics.median(row["p99"]) < p99_target(row["endpoint"])
        lines.append(
            f"| {row['endpoint']} | `{row['path']}` | {median_spread(row['rps'], 0)} | {median_spread(row['p50'])} | "
            f"{median_spread(row['p99'])} | {'yes' if met else 'no'} | {median_spread(row['alone_p50'])} | "
            f"{median_spread(row['alone_p99'])} | {row['errors']} | {'; '.join(row['load'])} |"
        )
    compared = [row for row in found if row["base_p99"]]
    if compared:
        lines += [
            "",
            "Against a framework-free reference: bench/baseline.py answers the proceedings searches and the deep "
            "page with the same JSON (checked) by the same rules (tracker.search: probe, rank or walk, count or "
            "estimate) in hand-written SQL through psycopg, serialised with orjson, under the same gunicorn and "
            "the same load: the target as the machine allows it with no framework at all.",
            "",
            "| request | ours req/s | ours p99 ms | reference req/s | reference p99 ms | reference meets the target "
            "| ours / reference (req/s) | same JSON |",
            "| --- | ---: | ---: | ---: | ---: | :---: | ---: | :---: |",
        ]
        for row in compared:
            ratios = [ours / base for ours, base in zip(row["rps"], row["base_rps"], strict=True)]
            lines.append(
                f"| {row['endpoint']} | {median_spread(row['rps'], 0)} | {median_spread(row['p99'])} | "
                f"{median_spread(row['base_rps'], 0)} | {median_spread(row['base_p99'])} | "
                f"{'yes' if statistics.median(row['base_p99']) < p99_target(row['endpoint']) else 'no'} | "
                f"{median_spread(ratios, 2)} | "
                f"{'yes' if row['same_json'] else 'NO'} |"
            )
    lines += ["", "### Query plans of the searches", "", "```", plans.strip(), "```", ""]
    lines += [*pages.report_lines(deal_page), ""]
    lines += [
        "## Queries per request",
        "",
        "| endpoint | page size 1 | page size 10 | page size 50 | page size 200 |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, by_size in counts.items():
        lines.append(
            f"| {name} | " + " | ".join(str(by_size[str(s)]) for s in (1, 10, 50, 200)) + " |"
        )
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
            f"(recording the deliveries in the transaction: {fanout['record_seconds']:.2f} s). "
            f"{worker_cpu(fanout)}Load average when it ended: {fanout['load']}."
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
            f"SMTP sink. {worker_cpu(digests)}Load average when it ended: {digests['load']}."
        )
    text = "\n".join(lines) + "\n"
    path.write_text(text)
    return text


IMPORTS_HEADING = "## Registry imports"


def imports_section(result: dict | None) -> str:
    lines = [IMPORTS_HEADING, ""]
    if result is None:
        return "\n".join(lines + ["Not measured in this run.", ""])
    if "error" in result:
        return "\n".join(lines + [f"Failed: `{result['error'].strip()}`", ""])
    first, again = result["first"], result["again"]
    lines += [
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC with `python bench/run.py --only imports` "
        f"(also part of `make bench`). {result['cases']:,} generated CMA cases (one in twenty a markets case, skipped) "
        "served in GOV.UK's search and content API shapes by a local HTTP server in its own process; imported into "
        "an empty PostgreSQL database by `run_import('cma')`, then imported again with nothing changed. The "
        "request-rate limit is off (`IMPORTS_REQUESTS_PER_SECOND=0`): at the default 4 requests a second the "
        "politeness towards GOV.UK, not the importer, would be measured.",
        "",
        "| run | seconds | importer CPU s | of it the writing thread's | database CPU s | queries | fetched | created "
        "| updated | unchanged | queued | skipped | failed |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in (("first import", first), ("re-run, nothing changed", again)):
        cpu = [row.get(k) for k in ("importer_cpu", "importer_main_cpu", "database_cpu")]
        lines.append(
            f"| {name} | {row['seconds']:.2f} | {' | '.join('?' if c is None else f'{c:.2f}' for c in cpu)} | "
            f"{row['queries']:,} | {row['fetched']:,} | {row['created']:,} | "
            f"{row['updated']:,} | {row['unchanged']:,} | {row['queued']:,} | {row['skipped']:,} | {row['failed']:,} |"
        )
    lines += [
        "",
        f"Afterwards: {result['reviews']:,} proceedings, {result['deals']:,} deals, {result['parties']:,} parties, "
        f"{result['events']:,} events. Targets: under 120 s for the first import "
        f"({'met' if first['seconds'] < 120 else 'not met'}), under 10 s for the re-run "
        f"({'met' if again['seconds'] < 10 else 'not met'}). "
        f"{first['queries'] / max(first['created'], 1):.0f} queries per case created, in the item's own "
        "transaction: matching (its registry link, an adoptable proceeding), its parties, deal and their history "
        "in one insert each, the proceeding saved with its past by `create_with_past` (the review, its history "
        "records, deadline periods, and its status-change, deadline and documents' events in one insert with one "
        "for their history), provenance and the search entry seen. The items are written one after another, each "
        "query a round trip, while "
        f"{result.get('prefetch', '?')} threads fetch and parse the next items' content ahead (`IMPORTS_PREFETCH`): "
        "on an idle machine with a core for those, the run takes about the writing thread's CPU time plus the "
        "database backend's (columns 4 and 5; CPU time depends far less than the wall clock on what else the "
        "machine runs, though it grows some under load). "
        f"Load average of the machine when the stage started: {result.get('load', '?')}; when it ended: "
        f"{result.get('load_after', '?')}.",
        "",
    ]
    return "\n".join(lines)


def replace_section(path: Path, heading: str, section: str) -> None:
    """Put `section` in place of the file's section under `heading` (to the next "## "), or at its end."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    start = text.find(heading)
    if start == -1:
        text = text.rstrip("\n") + "\n\n" + section
    else:
        end = text.find("\n## ", start + len(heading))
        text = text[:start] + section + (text[end + 1 :] if end != -1 else "")
    path.write_text(text.rstrip("\n") + "\n")


def imports_stage(env: dict, scale: dict, output: Path) -> dict | None:
    result = optional_stage("imports", production_environment(env), str(scale["cma_cases"]))
    log(f"imports: {result}")
    replace_section(output, IMPORTS_HEADING, imports_section(result))
    return result


MEMORY_HEADING = "## Worker memory"


def memory_section(result: dict | None) -> str:
    lines = [MEMORY_HEADING, ""]
    if result is None or "error" in result:
        lines.append(f"Failed: `{(result or {}).get('error', 'no result').strip()}`")
        return "\n".join(lines) + "\n"
    samples = result["samples"]
    lines += [
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC by `bench/memory.py`: one gunicorn worker "
        f"serves {result['requests']:,} mixed requests in a fixed shuffled order (deal details and timelines of 400 "
        "deals, reviews at 200 pages, events at three page sizes, searches of ten words, public deal and proceeding "
        f"pages; {result['failed']} answered 4xx or 5xx); its resident set size every 1,000 requests. What the "
        "worker keeps (kept JSON, rendered pages) is bounded by the cache's entry limit, so the size should level off.",
        "",
        "| requests | " + " | ".join(f"{s['requests']:,}" for s in samples) + " |",
        "| --- | " + " | ".join("---:" for _ in samples) + " |",
        "| RSS MiB | " + " | ".join(f"{s['rss_mib']:.1f}" for s in samples) + " |",
        "",
        f"Load average when it ended: {load_average()}.",
    ]
    return "\n".join(lines) + "\n"


def memory_stage(url: str, scale: dict, output: Path) -> None:
    result = optional_stage("memory", os.environ.copy(), url, str(scale["memory_requests"]))
    log(f"memory: {result}")
    replace_section(output, MEMORY_HEADING, memory_section(result))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--scale", default=os.environ.get("BENCH_SCALE", "full"), choices=sorted(SCALES)
    )
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument(
        "--skip",
        default=os.environ.get("BENCH_SKIP", ""),
        help="Comma-separated stages to leave out: api, pages, fanout, digests, imports, memory.",
    )
    parser.add_argument("--only", choices=["imports"], help="Run this stage alone.")
    args = parser.parse_args()
    scale = dict(SCALES[args.scale])
    scale["duration"] = int(os.environ.get("BENCH_DURATION", scale["duration"]))
    if args.only == "imports":
        imports_stage({**os.environ, "PYTHONUNBUFFERED": "1"}, scale, Path(args.output))
        return
    url = os.environ.get(
        "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/tracker_bench_{args.scale}"
    )
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    env.pop("CELERY_BROKER_URL", None)
    wrk.ensure_wrk()
    ensure_database(url)
    data = prepare_data(env, url, scale)
    log(f"data: {data}")
    skip = set(filter(None, args.skip.split(",")))
    runs = []
    if "api" not in skip:
        for number in range(1, RUNS + 1):
            log(f"run {number} of {RUNS} (load average {load_average()})")
            runs.append(load_test(scale, data, env, url))
    reads, found = summarise(runs) if runs else ([], [])
    plans = search_plans(env, data)
    deal_page = None
    if "pages" not in skip:
        deal_page = pages.load_test(
            api_environment(env), data, WORKERS, CONNECTIONS, scale["duration"]
        )
        for name, result in deal_page["rows"]:
            log(
                f"{name}: {result.rps:.0f} req/s (p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms, "
                f"{result.errors} errors)"
            )
    counts = query_counts(env, data)
    log(f"query counts: {counts}")
    broker = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/9")
    stage_env = {**production_environment(env), "BENCH_BROKER_URL": broker}
    fanout = (
        None if "fanout" in skip else optional_stage("fanout", stage_env, str(scale["subscribers"]))
    )
    log(f"fan-out: {fanout}")
    digests = (
        None
        if "digests" in skip
        else optional_stage("digests", stage_env, str(scale["digest_users"]))
    )
    log(f"digests: {digests}")
    write_report(
        Path(args.output),
        args.scale,
        data,
        reads,
        found,
        counts,
        fanout,
        digests,
        machine.describe(url),
        plans,
        scale["duration"],
        deal_page,
    )
    if "imports" not in skip:
        imports_stage(env, scale, Path(args.output))
    if "memory" not in skip:
        memory_stage(url, scale, Path(args.output))
    print(Path(args.output).read_text())


if __name__ == "__main__":
    main()
