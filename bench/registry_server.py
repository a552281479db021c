"""A local stand-in for GOV.UK's CMA case register: N generated, fictional merger cases in
the search API's and content API's shapes, served from a process of its own so the
importer being measured does not share its interpreter.

    python -m bench.registry_server PORT N
"""

from __future__ import annotations

import datetime
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

OUTCOMES = [  # (share in tenths, case_state, outcome_type)
    (5, "closed", "mergers-phase-1-clearance"),
    (1, "closed", "mergers-phase-1-found-not-to-qualify"),
    (1, "closed", "mergers-phase-2-clearance-with-remedies"),
    (1, "open", ""),
    (1, "open", "mergers-phase-1-referral"),
    (1, "closed", "mergers-phase-1-clearance-with-undertakings-in-lieu"),
]
PLAN = [state for share, *state in OUTCOMES for _ in range(share)]


def _long(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def generated_case(n: int) -> tuple[dict, dict]:
    """Case n's search result and content item. One acquirer in ten recurs, so matching has
    known parties to find; one case in twenty is a markets case the importer skips."""
    state, outcome = PLAN[n % len(PLAN)]
    opened = datetime.date(2015, 1, 5) + datetime.timedelta(days=(n * 3) % 3600)
    slug = f"benchco-{n % 500:03d}-slash-target-{n:05d}-merger-inquiry"
    title = f"Benchco {n % 500:03d} Holdings plc / Target {n:05d} Limited merger inquiry"
    case_type = "markets" if n % 20 == 19 else "mergers"
    phase_2 = outcome.startswith("mergers-phase-2") or outcome == "mergers-phase-1-referral"
    reference = opened + datetime.timedelta(days=56)
    closed = (reference if phase_2 else opened) + datetime.timedelta(days=120 if phase_2 else 35)
    body = [
        '<h2 id="statutory-timetable">Statutory timetable</h2>',
        "<table><thead><tr><th>Phase 1 date</th><th>Action</th></tr></thead><tbody>",
        f"<tr><td>{_long(opened + datetime.timedelta(days=56))}</td><td>Deadline for phase 1 decision (*)</td></tr>",
        f"<tr><td>{_long(opened)}</td><td>Launch of merger inquiry</td></tr></tbody></table>",
    ]
    if phase_2:
        body += [
            "<table><thead><tr><th>Phase 2 date</th><th>Action</th></tr></thead><tbody>",
            f"<tr><td>{_long(reference + datetime.timedelta(weeks=24))}</td><td>Deadline for "
            "phase 2 decision (*)</td></tr>",
            "</tbody></table>",
        ]
    body += [
        '<h2 id="phase-1">Phase 1</h2>',
        "<h3>Invitation to comment</h3>",
        f"<p>{_long(opened - datetime.timedelta(days=14))}: The CMA invited comments on the merger.</p>",
        "<h3>Launch of merger inquiry</h3>",
        f"<p>{_long(opened)}: The CMA announced the launch of its merger inquiry by notice to the parties.</p>",
    ]
    if phase_2:
        body += [
            "<h3>Phase 2 reference</h3>",
            f"<p>{_long(reference)}: The CMA referred the merger for a phase 2 investigation.</p>",
        ]
    doc_url = f"https://assets.publishing.service.gov.uk/media/bench{n:05d}/decision.pdf"
    if state == "closed":
        body += [
            "<h3>Decision</h3>",
            f"<p>{_long(closed)}: The CMA announced its decision.</p>",
            f'<ul><li><a href="{doc_url}">Full text decision</a> ({closed.day}.{closed.month}.{closed:%y})</li></ul>',
        ]
    metadata = {"case_type": case_type, "case_state": state, "opened_date": opened.isoformat()}
    if outcome:
        metadata["outcome_type"] = outcome
    if state == "closed":
        metadata["closed_date"] = closed.isoformat()
    stamp = f"{(closed if state == 'closed' else opened).isoformat()}T09:00:00+00:00"
    item = {
        "base_path": f"/cma-cases/{slug}",
        "title": title,
        "schema_name": "specialist_document",
        "document_type": "cma_case",
        "public_updated_at": stamp,
        "details": {
            "body": "\n".join(body),
            "metadata": metadata,
            "attachments": [{"title": "Full text decision", "url": doc_url, "created_at": stamp}]
            if state == "closed"
            else [],
        },
    }
    result = {
        "title": title,
        "link": f"/cma-cases/{slug}",
        "public_timestamp": stamp,
        "case_type": case_type,
        "case_state": state,
        "outcome_type": outcome,
        "opened_date": metadata["opened_date"],
        "closed_date": metadata.get("closed_date", ""),
    }
    return result, item


def serve(port: int, count: int) -> None:
    cases = [generated_case(n) for n in range(count)]
    results = [json.dumps(result) for result, _ in cases]
    items = {item["base_path"].rsplit("/", 1)[-1]: json.dumps(item).encode() for _, item in cases}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out as two writes on a kept-alive connection: with Nagle's
        # algorithm on, the body waits for the client's delayed ACK (about 40 ms a fetch),
        # which a real register's server does not make its clients wait.
        disable_nagle_algorithm = True

        def do_GET(self):
            url = urlparse(self.path)
            if url.path == "/api/search.json":
                query = parse_qs(url.query)
                start, size = int(query.get("start", ["0"])[0]), int(query.get("count", ["10"])[0])
                page = ",".join(results[start : start + size])
                self._send(
                    200,
                    f'{{"results": [{page}], "total": {len(results)}, "start": {start}}}'.encode(),
                )
            elif (
                url.path.startswith("/api/content/cma-cases/")
                and url.path.rsplit("/", 1)[-1] in items
            ):
                self._send(200, items[url.path.rsplit("/", 1)[-1]])
            else:
                self._send(404 if url.path != "/" else 200, b"{}")

        def _send(self, status: int, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
