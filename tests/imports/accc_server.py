"""A real local HTTP server playing the ACCC's acquisitions register: its paged list and
one page per matter, written by `accc_documents`."""

from __future__ import annotations

import re
from urllib.parse import unquote

from werkzeug import Response

from .accc_documents import REGISTER_PATH, Matter, list_page, matter_page


class FakeAcccRegister:
    """Serves `matters` (`page_size` to a list page); `pages` answers a matter's path with
    a given status and body instead; `list_status` makes the list fail."""

    def __init__(self, server, page_size: int = 50):
        self.server = server
        self.page_size = page_size
        self.matters: list[Matter] = []
        self.pages: dict[str, tuple[int, str]] = {}
        self.list_status: int | None = None
        self.next_href: str | None = None  # the pager's link instead of the next page's
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def handle(self, request):
        path = request.path
        if path == REGISTER_PATH:
            if self.list_status:
                return Response("unavailable", status=self.list_status)
            page = int(request.args.get("page", 0))
            start = page * self.page_size
            shown = self.matters[start : start + self.page_size]
            more = start + self.page_size < len(self.matters)
            return _html(
                list_page(shown, next_page=page + 1 if more else None, next_href=self.next_href)
            )
        for matter in self.matters:
            if path == unquote(matter.path):  # the server hands the path decoded
                if matter.matter_id in self.pages:
                    status, body = self.pages[matter.matter_id]
                    return Response(body, status=status, content_type="text/html")
                return _html(matter_page(matter))
        return Response("not found", status=404)

    def show(self, *matters: Matter) -> None:
        """The register lists these matters now (a changed one replaces its former self)."""
        self.matters = list(matters)

    def requests_to(self, prefix: str) -> list:
        return [request for request, _ in self.server.log if request.path.startswith(prefix)]


def _html(body: str) -> Response:
    return Response(body, content_type="text/html; charset=utf-8")


def register_on(httpserver, settings) -> FakeAcccRegister:
    """The register played by `httpserver`, the importer pointed at it (the tests' fixture)."""
    settings.ACCC_REGISTER_URL = httpserver.url_for(REGISTER_PATH)
    settings.IMPORTS_REQUESTS_PER_SECOND = 0
    settings.IMPORTS_BACKOFF_SECONDS = 0
    settings.IMPORTS_RETRIES = 1
    settings.IMPORTS_CONTACT_URL = "https://tracker.example.org/about"
    return FakeAcccRegister(httpserver)
