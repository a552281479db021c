"""A real local HTTP server playing justice.gov's press-release API and the FTC's
competition RSS feed for the press-release importers."""

from __future__ import annotations

import json
import re

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from . import press_releases_documents as docs

DOJ_PATH = "/api/v1/press_releases.json"
FTC_PATH = "/feeds/press-release-competition.xml"


class PressOffices:
    """Serves `doj_pages` (one list of results per `page`, from 0) and `ftc_items` as the
    feed; a status set in `doj_status` or `ftc_status` answers the list with it instead."""

    def __init__(self, server: HTTPServer):
        self.server = server
        self.doj_pages: list[list] = []
        self.ftc_items: list[dict] = []
        self.doj_status: int | None = None
        self.ftc_status: int | None = None
        self.ftc_body: str | None = None  # the feed's answer as given, instead of `ftc_items`
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def handle(self, request):
        if request.path == DOJ_PATH:
            if self.doj_status:
                return Response("unavailable", status=self.doj_status)
            page = int(request.args.get("page", 0))
            results = self.doj_pages[page] if page < len(self.doj_pages) else []
            count = sum(map(len, self.doj_pages))
            return Response(
                json.dumps(docs.doj_page(results, count=count, page=page)),
                content_type="application/json",
            )
        if request.path == FTC_PATH:
            if self.ftc_status:
                return Response("unavailable", status=self.ftc_status)
            body = self.ftc_body if self.ftc_body is not None else docs.rss(self.ftc_items)
            return Response(body, content_type="application/rss+xml; charset=utf-8")
        return Response("not found", status=404)

    def requests_to(self, path: str) -> list:
        return [request for request, _ in self.server.log if request.path == path]


@pytest.fixture
def press_offices(settings):
    """The stand-in server, on a port of its own, with both sources pointed at it."""
    server = HTTPServer()
    server.start()
    settings.DOJ_PRESS_URL = server.url_for("").rstrip("/")
    settings.FTC_PRESS_URL = server.url_for("").rstrip("/")
    settings.IMPORTS_REQUESTS_PER_SECOND = 0
    settings.IMPORTS_BACKOFF_SECONDS = 0
    settings.IMPORTS_RETRIES = 1
    settings.IMPORTS_CONTACT_URL = "https://tracker.example.org/about"
    try:
        yield PressOffices(server)
    finally:
        server.clear()
        server.stop()
