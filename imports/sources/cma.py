"""UK CMA cases from GOV.UK: the list from the search API, each case from the content API,
parsed into plain CaseRecords.

Search API: `/api/search.json?filter_format=cma_case`, paged with `start` and `count`,
results with `link`, `title`, `public_timestamp`, `case_type`, `case_state`,
`outcome_type`, `opened_date`, `closed_date`. Content API: `/api/content/cma-cases/<slug>`,
a specialist document whose `details.metadata` holds the same facets and whose
`details.body` is the case page's HTML (the "Statutory timetable" table, then dated
paragraphs and document links); `details.attachments` lists the documents.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from tracker.choices import DealType, ReviewStatus

from ..client import PoliteClient
from ..dates import iso_date, long_date, short_date
from ..html_blocks import Block, blocks_of
from ..records import CaseRecord, Document, ListEntry, ParseError, PartySide, web_url
from . import register
from .base import Source
from .cma_outcomes import from_cma_outcome_type
from .cma_timetable import clock_act

NAME = "cma"
SEARCH_FIELDS = (
    "title",
    "link",
    "public_timestamp",
    "case_type",
    "case_state",
    "outcome_type",
    "opened_date",
    "closed_date",
)
PAGE_SIZE = 500
CASE_PAGE = "https://www.gov.uk/cma-cases/{slug}"


def case_url(slug: str) -> str:
    return CASE_PAGE.format(slug=slug)


def api_url() -> str:
    return Source.setting("GOVUK_API_URL", "https://www.gov.uk").rstrip("/")


@register
class CmaCases(Source):
    name = NAME
    title = "UK CMA cases (GOV.UK)"
    regulators = {
        "cma": dict(
            short_name="CMA",
            name="UK Competition and Markets Authority",
            jurisdiction="GB",
            website="https://www.gov.uk/government/organisations/competition-and-markets-authority",
            calendar="GB-ENG",
        )
    }
    schedule_setting = "IMPORTS_CMA_SCHEDULE"
    default_schedule = "15 * * * *"

    def list_entries(self, client, since, state):
        return list_entries(client, since)

    def fetch(self, client, entry):
        return fetch_case(client, entry)

    def parse(self, content, entry_url):
        return parse_case(content, entry_url)


# --- client calls ----------------------------------------------------------------------


def list_entries(client: PoliteClient, since: datetime.date | None = None) -> Iterator[ListEntry]:
    """Every CMA case the search API lists, newest first; a failing page means the register
    cannot be read."""
    url = f"{api_url()}/api/search.json"
    start = 0
    while True:
        params = [
            ("filter_format", "cma_case"),
            ("order", "-public_timestamp"),
            ("start", start),
            ("count", PAGE_SIZE),
        ]
        params += [("fields[]", name) for name in SEARCH_FIELDS]
        if since:
            params.append(("filter_public_timestamp", f"from:{since.isoformat()}"))
        page, results = client.get_listing(url, params, "search")
        for result in results:
            entry = parse_search_result(result)
            if entry is not None:
                yield entry
        start += len(results)
        if not results or start >= int(page.get("total") or 0):
            return


def fetch_case(client: PoliteClient, entry: ListEntry) -> dict:
    return client.get_json(f"{api_url()}/api/content/cma-cases/{entry.source_id}")


# --- pure parsing ----------------------------------------------------------------------


def _facet(value) -> str:
    """A facet as the search API gives it: a string, a {value, label} object, or a list of either."""
    if isinstance(value, list):
        value = value[0] if value else ""
    if isinstance(value, dict):
        value = value.get("value", "")
    return value if isinstance(value, str) else ""


def parse_search_result(result) -> ListEntry | None:
    """A list entry, or None for a result that is not a CMA case page."""
    if not isinstance(result, dict):
        return None
    link = result.get("link") or ""
    if not isinstance(link, str) or not link.startswith("/cma-cases/"):
        return None
    slug = link.removeprefix("/cma-cases/").strip("/")
    seen = "|".join(
        str(_facet(result.get(name))) if name != "title" else str(result.get(name))
        for name in SEARCH_FIELDS
    )
    return ListEntry(
        source_id=slug,
        url=case_url(slug),
        fingerprint=hashlib.sha256(seen.encode()).hexdigest(),
        followed=_facet(result.get("case_type")) == "mergers",
        payload={"title": result.get("title", "")},
    )


_TITLE_TAIL = re.compile(
    r"\s+(?:partnership\s+|jv\s+|joint venture\s+)?(?:merger\s+)?(?:inquiry|investigation)$",
    re.IGNORECASE,
)
_BRACKETS = re.compile(r"^(.*?)\s*\(([^)]*)\)\s*$")


def parse_title(title: str) -> tuple[str, str, list[PartySide]]:
    """The deal's title, its type and the parties' sides from a case title.

    "Amazon.com Inc. / Anthropic PBC partnership merger inquiry" -> "Amazon.com Inc. /
    Anthropic PBC", a partnership, two sides; "Alphabet Inc. (Google LLC) / Anthropic" has
    a side named twice.
    """
    lowered = title.lower()
    deal_type = (
        DealType.PARTNERSHIP
        if "partnership" in lowered
        else DealType.JOINT_VENTURE
        if re.search(r"\b(jv|joint venture)\b", lowered)
        else DealType.ACQUISITION
    )
    core = _TITLE_TAIL.sub("", title.strip())
    sides = []
    for part in re.split(r"\s*/\s*", core):
        part = part.strip()
        if not part:
            continue
        match = _BRACKETS.match(part)
        names = (match.group(1).strip(), match.group(2).strip()) if match else (part,)
        sides.append(PartySide(tuple(n for n in names if n)))
    if len(sides) < 2:
        raise ParseError(f"title: cannot tell the parties apart in {title!r}")
    return core, deal_type, sides


def parse_case(item, entry_url: str) -> CaseRecord:
    """A CaseRecord from a content item; ParseError names the field that is wrong."""
    if not isinstance(item, dict):
        raise ParseError("the content item is not a JSON object")
    details = item.get("details")
    if not isinstance(details, dict) or not isinstance(details.get("metadata"), dict):
        raise ParseError("details.metadata: missing")
    meta = details["metadata"]
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        raise ParseError("title: missing")
    base_path = item.get("base_path") or ""
    slug = base_path.removeprefix("/cma-cases/") if base_path.startswith("/cma-cases/") else ""
    if not slug:
        raise ParseError(f"base_path: not a CMA case page ({base_path!r})")
    state = _facet(meta.get("case_state"))
    if state not in ("open", "closed"):
        raise ParseError(f"details.metadata.case_state: expected open or closed, got {state!r}")
    outcome_type = _facet(meta.get("outcome_type"))
    opened_on = iso_date(meta.get("opened_date"), "details.metadata.opened_date")
    closed_on = iso_date(meta.get("closed_date"), "details.metadata.closed_date")
    deal_title, deal_type, sides = parse_title(title)

    blocks = blocks_of(details.get("body") or "")
    deadlines = timetable_deadlines(blocks)
    documents = dated_documents(blocks, details.get("attachments") or [], case_url(slug))
    phase_2_on = _phase_2_start(blocks, deadlines, documents)
    status, outcome = _status(state, outcome_type, deadlines)
    if status == ReviewStatus.PHASE_2 and phase_2_on is None:
        phase_2_on = opened_on
    if (
        status is not None
        and status not in (ReviewStatus.PHASE_1, ReviewStatus.PHASE_2)
        and closed_on is None
    ):
        raise ParseError("details.metadata.closed_date: a closed case needs its closing date")
    open_deadline = deadlines.get(2) or deadlines.get(1) if state == "open" else None
    return CaseRecord(
        source=NAME,
        source_id=slug,
        url=case_url(slug),
        regulator="cma",
        title=title.strip(),
        deal_title=deal_title,
        deal_type=deal_type,
        sides=sides,
        status=status,
        outcome=outcome,
        outcome_wording=_decision_wording(documents) if state == "closed" else "",
        registry_state=state,
        registry_outcome=outcome_type,
        opened_on=opened_on,
        closed_on=closed_on if state == "closed" else None,
        phase_2_on=phase_2_on if status != ReviewStatus.PHASE_1 else None,
        reached_phase_2=status == ReviewStatus.PHASE_2
        or outcome_type.startswith("mergers-phase-2"),
        published_deadline=open_deadline,
        documents=documents,
        currency="GBP",
    )


def _status(
    state: str, outcome_type: str, deadlines: dict[int, datetime.date]
) -> tuple[str | None, str]:
    mapped = from_cma_outcome_type(outcome_type) if outcome_type else None
    if state == "open":
        in_phase_2 = 2 in deadlines or (
            mapped is not None and mapped.status == ReviewStatus.PHASE_2
        )
        return (ReviewStatus.PHASE_2 if in_phase_2 else ReviewStatus.PHASE_1), ""
    if mapped is None:
        return None, ""
    return mapped.status, mapped.outcome


_PHASE_HEADER = re.compile(r"phase\s*(\d)", re.IGNORECASE)
_DEADLINE_ACTION = re.compile(
    r"deadline for (?:the )?phase\s*(\d)\s+decision|statutory deadline", re.IGNORECASE
)


def timetable_deadlines(blocks: list[Block]) -> dict[int, datetime.date]:
    """The decision deadlines of the "Statutory timetable" tables, by phase."""
    found: dict[int, datetime.date] = {}
    phase, in_timetable = 1, False
    for block in blocks:
        if block.tag == "h2":
            in_timetable = "timetable" in block.text.lower()
            continue
        if not in_timetable or block.tag != "tr" or len(block.cells) < 2:
            continue
        if block.header_row:
            match = _PHASE_HEADER.search(block.cells[0])
            phase = int(match.group(1)) if match else phase
            continue
        action = _DEADLINE_ACTION.search(block.cells[1])
        day = long_date(block.cells[0])
        if action and day:
            found[int(action.group(1)) if action.group(1) else phase] = day
    return found


_DATED_PARAGRAPH = re.compile(r"^(\d{1,2}\s+[A-Za-z]+\s+\d{4}):\s*(.*)$", re.DOTALL)
_LISTED_DATE = re.compile(r"\((\d{1,2}\.\d{1,2}\.\d{2,4})\)\s*$")


def dated_documents(blocks: list[Block], attachments: list, page_url: str) -> list[Document]:
    """One document per dated paragraph (sourced from the first document linked under it, else
    the case page) and per attachment not already a paragraph's source."""
    docs: list[dict[str, Any]] = []
    heading = ""
    current: dict[str, Any] | None = None
    listed_dates: dict[str, datetime.date] = {}
    for block in blocks:
        if block.tag in ("h2", "h3", "h4"):
            heading, current = block.text, None
        elif block.tag == "p":
            match = _DATED_PARAGRAPH.match(block.text)
            day = long_date(match.group(1)) if match else None
            current = None
            if match and day:
                current = {
                    "day": day,
                    "title": heading or match.group(2)[:120],
                    "body": match.group(2),
                    "links": [],
                }
                docs.append(current)
                current["links"].extend(block.links)
        elif block.tag == "li":
            for href, _text in block.links:
                listed = _LISTED_DATE.search(block.text)
                listed_on = short_date(listed.group(1)) if listed else None
                if listed_on:
                    listed_dates[href] = listed_on
            if current is not None:
                current["links"].extend(block.links)
    result = []
    used = set()
    for doc in docs:
        href, link_title = next(
            ((h, t) for h, t in doc["links"] if web_url(h)), (page_url, doc["title"])
        )
        used.add(href)
        act = clock_act(doc["title"], doc["body"])
        result.append(
            Document(
                doc["day"],
                _clip(doc["title"]),
                href,
                doc["body"],
                _is_decision(doc["title"]),
                clock_action=act.action if act else "",
                clock_length=act.length if act else 0,
                clock_reason=act.reason if act else "",
            )
        )
    for attachment in attachments:
        if (
            not isinstance(attachment, dict)
            or not attachment.get("url")
            or not attachment.get("title")
        ):
            continue
        url = attachment["url"]
        if url in used or not web_url(str(url)):
            continue
        day = listed_dates.get(url) or iso_date(
            attachment.get("created_at"), "details.attachments.created_at"
        )
        if day is None:
            continue
        used.add(url)
        result.append(
            Document(day, _clip(attachment["title"]), url, "", _is_decision(attachment["title"]))
        )
    return result


def _is_decision(title: str) -> bool:
    lowered = title.lower()
    return "decision" in lowered or "final report" in lowered


def _clip(text: str, length: int = 300) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _phase_2_start(blocks, deadlines, documents: list[Document]) -> datetime.date | None:
    """When phase 2 began: the reference, as the timeline tells it."""
    for doc in sorted(documents, key=lambda d: d.occurred_on):
        lowered = f"{doc.title} {doc.body}".lower()
        if "phase 2" in lowered and (
            "reference" in lowered or "referred" in lowered or "launch" in lowered
        ):
            return doc.occurred_on
    return None


def _decision_wording(documents: list[Document]) -> str:
    decisions = [d for d in documents if d.is_decision and d.body]
    return _clip(decisions[-1].body, 300) if decisions else ""
