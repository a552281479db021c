"""A real local HTTP server playing GOV.UK and the Federal Register for the importers."""

from __future__ import annotations

import json
import re
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from .govuk import Case


class FakeRegistry:
    """Serves the search API (paged with start and count) and the content API for `cases`;
    `content_overrides` answers a case's content with a given status and body instead."""

    def __init__(self, server):
        self.server = server
        self.cases: list[Case] = []
        self.content_overrides: dict[str, list[tuple[int, str, dict]]] = {}
        self.search_status: int | None = None
        self.delays: dict[str, list[float]] = {}  # seconds to wait before each answer for a slug
        self.fr_pages: list[list[dict]] = []
        self.search_fails_from: int | None = None  # search pages from this start answer 503
        self.arrivals: list[
            tuple[float, str]
        ] = []  # (time.monotonic(), path) of each request, as it came
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def handle(self, request):
        path = request.path
        self.arrivals.append((time.monotonic(), path))
        if path == "/api/search.json":
            start, count = int(request.args.get("start", 0)), int(request.args.get("count", 10))
            if self.search_status or (
                self.search_fails_from is not None and start >= self.search_fails_from
            ):
                return Response("unavailable", status=self.search_status or 503)
            results = [c.search_result() for c in self.cases]
            return _json(
                {"results": results[start : start + count], "total": len(results), "start": start}
            )
        if path.startswith("/api/content/cma-cases/"):
            slug = path.rsplit("/", 1)[-1]
            if self.delays.get(slug):
                time.sleep(self.delays[slug].pop(0))
            scripted = self.content_overrides.get(slug)
            if scripted:
                status, body, headers = scripted.pop(0) if len(scripted) > 1 else scripted[0]
                return Response(
                    body, status=status, headers=headers, content_type="application/json"
                )
            case = next((c for c in self.cases if c.slug == slug), None)
            return _json(case.content_item()) if case else Response("{}", status=404)
        if path == "/api/v1/documents.json":
            page = int(request.args.get("page", 1))
            results = self.fr_pages[page - 1] if page <= len(self.fr_pages) else []
            next_url = (
                self.server.url_for(f"/api/v1/documents.json?page={page + 1}")
                if page < len(self.fr_pages)
                else None
            )
            return _json(
                {
                    "count": sum(map(len, self.fr_pages)),
                    "results": results,
                    "next_page_url": next_url,
                }
            )
        return Response("not found", status=404)

    def requests_to(self, prefix: str) -> list:
        return [request for request, _ in self.server.log if request.path.startswith(prefix)]

    def clear_log(self) -> None:
        self.server.clear_log()


def _json(data) -> Response:
    return Response(json.dumps(data), content_type="application/json")


@pytest.fixture
def registry(httpserver, settings):
    return _registry_on(httpserver, settings)


@pytest.fixture
def threaded_registry(settings):
    """The same on a server answering each request in a thread of its own: a slow answer
    does not hold back the next ones."""
    server = HTTPServer(threaded=True)
    server.start()
    try:
        yield _registry_on(server, settings)
    finally:
        server.clear()
        server.stop()


def _registry_on(httpserver, settings) -> FakeRegistry:
    settings.GOVUK_API_URL = httpserver.url_for("").rstrip("/")
    settings.FEDERAL_REGISTER_API_URL = httpserver.url_for("/api/v1")
    settings.IMPORTS_REQUESTS_PER_SECOND = 0
    settings.IMPORTS_BACKOFF_SECONDS = 0
    settings.IMPORTS_RETRIES = 1
    settings.IMPORTS_CONTACT_URL = "https://tracker.example.org/about"
    return FakeRegistry(httpserver)


# The press offices stand-in server, for the press release tests.
from .press_releases_server import press_offices  # noqa: E402, F401
