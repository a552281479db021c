"""The public deal page under load: gunicorn serving the project with DEBUG off, wrk from a
separate process. wrk sends no If-None-Match, so no answer is a 304: each request is
either served from the render cache (the page as readers get it) or, with
PAGES_RENDER_CACHE_SECONDS=0, rendered in full."""

from __future__ import annotations

from bench import servers, wrk

# The page should answer within this at the 99th percentile on the full data set.
DEAL_PAGE_P99_TARGET_MS = 100.0
MODES = {
    "deal page (as served: render cache on)": {},
    "deal page (rendered in full on every request)": {"PAGES_RENDER_CACHE_SECONDS": "0"},
}


def deal_page_path(data: dict) -> str:
    return f"/deals/{data['deal_slug']}/"


def load_test(env: dict, data: dict, workers: int, connections: int, duration: int) -> dict:
    path = deal_page_path(data)
    rows = []
    for name, extra in MODES.items():
        with servers.gunicorn("config.wsgi", {**env, **extra}, workers, path) as port:
            rows.append(
                (
                    name,
                    wrk.run(
                        f"http://127.0.0.1:{port}{path}", duration=duration, connections=connections
                    ),
                )
            )
    return {"path": path, "rows": rows, "target_ms": DEAL_PAGE_P99_TARGET_MS}


def report_lines(measured: dict | None) -> list[str]:
    lines = ["## Public pages", ""]
    if measured is None:
        return lines + ["Not measured in this run (the pages stage was skipped)."]
    lines += [
        f"The deal page (`{measured['path']}`, the generated deal with the longest timeline): parties, "
        "proceedings, the timeline picture and the first 50 events. As served, a rendered page is kept in the "
        "cache under its ETag, so a request costs one query; the second row renders every request in full "
        "(eight queries and the templates).",
        "",
        "| page | req/s | p50 ms | p99 ms | errors | p99 target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for name, result in measured["rows"]:
        verdict = (
            "within"
            if result.p99_ms < measured["target_ms"] and not result.errors
            else "NOT within"
        )
        lines.append(
            f"| {name} | {result.rps:.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} | "
            f"{verdict} {measured['target_ms']:.0f} ms |"
        )
    return lines
