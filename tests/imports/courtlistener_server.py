"""A real local HTTP server playing CourtListener's docket-entries API for the importer."""

from __future__ import annotations

import json
import re

from werkzeug import Response

ENTRIES = "/api/rest/v4/docket-entries/"


class FakeCourtListener:
    """Serves `dockets[(court id, docket number)]`, a list of pages of entries, paged by a
    `cursor` that is the page's index; `scripted` answers the next requests with a given
    status, body and headers instead; `down` answers every request with that status."""

    def __init__(self, server):
        self.server = server
        self.dockets: dict[tuple[str, str], list[list[dict]]] = {}
        self.scripted: list[tuple[int, str, dict]] = []
        self.down: int | None = None
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    def handle(self, request):
        if self.down:
            return Response("unavailable", status=self.down)
        if self.scripted:
            status, body, headers = self.scripted.pop(0)
            return Response(body, status=status, headers=headers, content_type="application/json")
        if request.path != ENTRIES:
            return Response("not found", status=404)
        key = (request.args.get("docket__court", ""), request.args.get("docket__docket_number", ""))
        pages = self.dockets.get(key, [[]])
        index = int(request.args.get("cursor", 0))
        since = request.args.get("date_filed__gte")
        results = [e for e in pages[index] if not since or str(e.get("date_filed")) >= since]
        next_url = None
        if index + 1 < len(pages):
            query = "&".join(f"{k}={v}" for k, v in request.args.items() if k != "cursor")
            next_url = self.server.url_for(f"{ENTRIES}?{query}&cursor={index + 1}")
        body = {"next": next_url, "previous": None, "results": results}
        return Response(json.dumps(body), content_type="application/json")

    def requests(self) -> list:
        return [request for request, _ in self.server.log if request.path == ENTRIES]
