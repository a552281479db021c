"""A real local HTTP server playing the Commission's open-data file `case-data-M.json`."""

from __future__ import annotations

import hashlib
import json

from werkzeug import Response

PATH = "/case-data-M.json"


class CaseFileServer:
    """Serves `cases` as the case file, with an ETag of its content when `etags` is on
    (answering a matching If-None-Match with 304); `status` or `body` answer instead."""

    def __init__(self, server):
        self.server = server
        self.cases: dict = {}
        self.etags = True
        self.status: int | None = None
        self.body: bytes | None = None
        server.expect_request(PATH).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for(PATH)

    def handle(self, request):
        if self.status:
            return Response("unavailable", status=self.status)
        body = self.body if self.body is not None else json.dumps(self.cases).encode()
        headers = {"Last-Modified": "Mon, 07 Dec 2026 05:00:00 GMT"}
        if self.etags:
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            headers["ETag"] = etag
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304, headers=headers)
        return Response(body, headers=headers, content_type="application/json")

    def requests(self) -> list:
        return [request for request, _ in self.server.log if request.path == PATH]


def serve_case_file(httpserver, settings) -> CaseFileServer:
    """The stand-in for the case file on `httpserver`, the source's settings pointed at it."""
    settings.IMPORTS_REQUESTS_PER_SECOND = 0
    settings.IMPORTS_BACKOFF_SECONDS = 0
    settings.IMPORTS_RETRIES = 1
    settings.IMPORTS_CONTACT_URL = "https://tracker.example.org/about"
    served = CaseFileServer(httpserver)
    settings.EC_CASE_DATA_URL = served.url
    return served
