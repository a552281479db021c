"""US notices from the Federal Register API: documents of the FTC and of the DOJ Antitrust
Division, parsed into NoticeRecords.

`/documents.json` with `conditions[agencies][]`, `conditions[publication_date][gte]`,
`per_page`, `order`; pages follow `next_page_url`. Each result has `document_number`,
`title`, `type`, `abstract`, `html_url`, `publication_date` and `agencies` (with `slug`).
The list carries every field we read, so no document is fetched on its own.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterator

from tracker.choices import EventKind, ReviewType

from ..client import PoliteClient, next_page
from ..dates import iso_date
from ..records import ListEntry, NoticeRecord, ParseError, PartySide
from . import register
from .base import Source
from .us_agencies import US_AGENCIES

NAME = "federal_register"
AGENCIES = {
    "federal-trade-commission": "ftc",
    "antitrust-division": "doj",
    "justice-department": "doj",
}
FIELDS = (
    "document_number",
    "title",
    "type",
    "abstract",
    "html_url",
    "publication_date",
    "agencies",
)
PAGE_SIZE = 200
FIRST_RUN_SINCE = datetime.date(2015, 1, 1)


def api_url() -> str:
    return Source.setting(
        "FEDERAL_REGISTER_API_URL", "https://www.federalregister.gov/api/v1"
    ).rstrip("/")


@register
class FederalRegister(Source):
    name = NAME
    title = "Federal Register (FTC, DOJ Antitrust Division)"
    regulators = US_AGENCIES
    schedule_setting = "IMPORTS_FEDERAL_REGISTER_SCHEDULE"
    default_schedule = "45 * * * *"
    first_run_since = FIRST_RUN_SINCE
    # Listed by publication date: a scheduled run reads from a week before the last
    # complete run, not from the beginning.
    scheduled_overlap = datetime.timedelta(days=7)

    def list_entries(self, client, since, state):
        return list_entries(client, since)

    def parse(self, content, entry_url):
        return parse_notice(content, entry_url)


def list_entries(client: PoliteClient, since: datetime.date | None = None) -> Iterator[ListEntry]:
    url: str | None = f"{api_url()}/documents.json"
    params: list | None = [
        ("conditions[agencies][]", "federal-trade-commission"),
        ("conditions[agencies][]", "antitrust-division"),
        ("conditions[publication_date][gte]", (since or FIRST_RUN_SINCE).isoformat()),
        ("order", "newest"),
        ("per_page", PAGE_SIZE),
        *[("fields[]", name) for name in FIELDS],
    ]
    while url:
        page, results = client.get_listing(url, params, "documents")
        for doc in results:
            if isinstance(doc, dict) and isinstance(doc.get("document_number"), str):
                seen = json.dumps(doc, sort_keys=True, default=str)
                yield ListEntry(
                    source_id=doc["document_number"],
                    url=str(doc.get("html_url") or ""),
                    fingerprint=hashlib.sha256(seen.encode()).hexdigest(),
                    followed=notice_kind(str(doc.get("title") or "")) is not None,
                    payload=doc,
                )
        # The next page's URL carries the query.
        url, params = next_page(api_url(), page, "next_page_url"), None


_CONSENT = re.compile(
    r"^(?:in the matter of\s+)?(.*?);\s*analysis of (?:the )?(?:proposed )?(?:agreement )?containing consent order",
    re.I,
)
_TUNNEY = re.compile(r"^united states(?: of america)?(?:,? et al\.?)?\s+v\.\s+(.*?)(?:;|$)", re.I)


def notice_kind(title: str) -> str | None:
    lowered = title.lower()
    if "containing consent order" in lowered:
        return "consent_order"
    if "proposed final judgment" in lowered and "competitive impact statement" in lowered:
        return "tunney_act"
    if "early termination" in lowered:
        return "early_termination"
    return None


def parties_in(title: str, kind: str) -> list[PartySide]:
    pattern = {"consent_order": _CONSENT, "tunney_act": _TUNNEY}.get(kind)
    match = pattern.match(title.strip()) if pattern else None
    if not match:
        return []
    named = re.sub(r",?\s+et al\.?$", "", match.group(1).strip(), flags=re.I)
    names = [n.strip(" ,") for n in re.split(r",?\s+and\s+|\s*/\s*|;\s*", named) if n.strip(" ,")]
    return [PartySide((name,)) for name in names]


def parse_notice(doc, entry_url: str = "") -> NoticeRecord:
    if not isinstance(doc, dict):
        raise ParseError("the document is not a JSON object")
    title = doc.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ParseError("title: missing")
    kind = notice_kind(title)
    if kind is None:
        raise ParseError(f"title: not a notice the tracker follows ({title[:80]!r})")
    published_on = iso_date(doc.get("publication_date"), "publication_date")
    if published_on is None:
        raise ParseError("publication_date: missing")
    url = doc.get("html_url")
    if not isinstance(url, str) or not url.startswith("http"):
        raise ParseError("html_url: missing")
    slugs = [a.get("slug") for a in doc.get("agencies") or [] if isinstance(a, dict)]
    regulator = next((AGENCIES[s] for s in slugs if s in AGENCIES), None)
    if regulator is None:
        raise ParseError(f"agencies: neither the FTC nor the Antitrust Division ({slugs})")
    if "antitrust-division" in slugs:
        regulator = "doj"
    return NoticeRecord(
        source=NAME,
        source_id=doc["document_number"],
        url=url,
        regulator=regulator,
        kind=kind,
        title=title.strip(),
        abstract=str(doc.get("abstract") or ""),
        published_on=published_on,
        sides=parties_in(title, kind),
        event_kind=EventKind.FILING,
        source_title=f"Federal Register {doc['document_number']}",
        review_type=ReviewType.LITIGATION if kind == "tunney_act" else ReviewType.MERGER_CONTROL,
    )
