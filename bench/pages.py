"""The public deal page under load: gunicorn serving the project with DEBUG off, wrk from a
separate process, full renders (wrk sends no If-None-Match, so no request is a 304)."""

from __future__ import annotations

from bench import servers, wrk

# The page should answer within this at the 99th percentile on the full data set.
DEAL_PAGE_P99_TARGET_MS = 100.0


def deal_page_path(data: dict) -> str:
    return f"/deals/{data['deal_slug']}/"


def load_test(env: dict, data: dict, workers: int, connections: int, duration: int) -> dict:
    path = deal_page_path(data)
    with servers.gunicorn("tracker.wsgi", env, workers, path) as port:
        result = wrk.run(f"http://127.0.0.1:{port}{path}", duration=duration, connections=connections)
    return {"path": path, "result": result, "target_ms": DEAL_PAGE_P99_TARGET_MS}


def report_lines(measured: dict | None) -> list[str]:
    lines = ["## Public pages", ""]
    if measured is None:
        return lines + ["Not measured in this run (the pages stage was skipped)."]
    result = measured["result"]
    verdict = "within" if result.p99_ms < measured["target_ms"] and not result.errors else "NOT within"
    return lines + [
        "The deal page (`" + measured["path"] + "`, the generated deal with the longest timeline), rendered in full "
        "on every request: parties, proceedings, the timeline picture and every event.",
        "",
        "| page | req/s | p50 ms | p99 ms | errors | p99 target |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
        f"| deal page | {result.rps:.0f} | {result.p50_ms:.1f} | {result.p99_ms:.1f} | {result.errors} | "
        f"{verdict} {measured['target_ms']:.0f} ms |",
    ]
