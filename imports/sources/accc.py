"""The ACCC's acquisitions register (Australia's merger control regime, mandatory from 1
January 2026): the list of matters and one page per matter, both HTML, parsed with
Beautiful Soup into CaseRecords.

The list (`/public-registers/acquisitions-and-mergers-registers/acquisitions-register`,
paged with `page`) shows one card (`div.views-row`) per matter: a link to its page, the
title, "Acquisition status", "Type", "Case number" (MN-… for a notification, WA-… for a
waiver application), "Stage" and the notification or application date. A matter's page
(`article`) has the same fields, "ACCC determination", "Determination publication date",
"End of determination period" while it runs, "Acquirer(s)" and "Target(s) or vendor(s)"
(each a name and its ABN or ACN), "ANZSIC code(s)" and the table "Decisions and key
events" (a date, a title, the document).
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag
from django.utils import timezone

from tracker.choices import DealType, ReviewStatus

from ..client import FetchError, PoliteClient, SourceUnreachable, next_page
from ..dates import iso_date, long_date
from ..records import CLOCK_EXTEND, CaseRecord, Document, ListEntry, ParseError, PartySide
from . import register
from .accc_outcomes import (
    NOTIFICATION,
    OPEN_STATUSES,
    PHASE_2_STAGE,
    STATUSES,
    WAIVER,
    from_register,
    stage_phase,
)
from .base import Source

NAME = "accc_acquisitions"
REGISTER_URL = (
    "https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/"
    "acquisitions-register"
)
LIST_PARAMS = {"init": "1", "items_per_page": "50"}
MATTER_ID = re.compile(r"^(MN|WA)-\d{5}$")
# A page that keeps saying there is a next one is cut off here.
MAX_PAGES = 200


def register_url() -> str:
    return Source.setting("ACCC_REGISTER_URL", REGISTER_URL).rstrip("/")


@register
class AcccAcquisitions(Source):
    name = NAME
    title = "ACCC acquisitions register"
    regulators = {
        "accc": dict(
            short_name="ACCC",
            name="Australian Competition and Consumer Commission",
            jurisdiction="AU",
            website="https://www.accc.gov.au",
            calendar="AU-ACT",
        )
    }
    schedule_setting = "IMPORTS_ACCC_ACQUISITIONS_SCHEDULE"
    default_schedule = "25 * * * *"

    def list_entries(self, client, since, state):
        return list_entries(client)

    def fetch(self, client, entry):
        return client.get_text(entry.url)

    def parse(self, content, entry_url):
        return parse_matter(content, entry_url)

    def sample_file(self, url):
        """The list's pages are files of their own (`…/acquisitions-register/page-1`); the
        first page is the register's index."""
        page = re.search(r"[?&]page=(\d+)", url)
        name = super().sample_file(url)
        return f"{name}/page-{page.group(1)}" if page and page.group(1) != "0" else name


# --- client calls ----------------------------------------------------------------------


def list_entries(client: PoliteClient) -> Iterator[ListEntry]:
    """Every matter the register lists, page after page; a page that fails, or that is not
    the register's list, means the register cannot be read."""
    base = register_url()
    url: str | None = base
    params: dict | None = LIST_PARAMS
    for _ in range(MAX_PAGES):
        if url is None:
            return
        try:
            html = client.get_text(url, params)
        except FetchError as exc:
            raise SourceUnreachable(exc.url, exc.reason, exc.status) from exc
        entries, link = parse_list_page(html, url)
        yield from entries
        # The pager's link carries the query.
        url = next_page(base, {"next": link}, "next") if link else None
        params = None


# --- pure parsing ----------------------------------------------------------------------


def _squash(text: str) -> str:
    return " ".join(text.split())


def _fields(scope: Tag) -> dict[str, Tag]:
    """The labelled fields in `scope`, by their label in lower case ("acquisition status")."""
    found: dict[str, Tag] = {}
    for field in scope.select("div.field"):
        label = field.find(class_="field__label")
        if label is not None:
            found.setdefault(_squash(label.get_text(" ")).lower(), field)
    return found


def _text(fields: dict[str, Tag], *labels: str) -> str:
    for label in labels:
        field = fields.get(label)
        if field is not None:
            item = field.find(class_="field__item") or field.find(class_="field__items")
            return _squash(item.get_text(" ")) if item is not None else ""
    return ""


def _date(fields: dict[str, Tag], label: str) -> datetime.date | None:
    """A field's date, from its `time` element (the register's datetime) or its text."""
    field = fields.get(label)
    if field is None:
        return None
    time = field.find("time")
    if time is not None and time.get("datetime"):
        return iso_date(str(time["datetime"]), label)
    text = _text(fields, label)
    day = long_date(text) if text else None
    if text and day is None:
        raise ParseError(f"{label}: unparseable date {text!r}")
    return day


def parse_list_page(html: str, page_url: str) -> tuple[list[ListEntry], str | None]:
    """The matters of one list page and the link to the next page (None on the last)."""
    soup = BeautifulSoup(html, "html.parser")
    rows = soup.select("div.views-row")
    if not rows and soup.find(class_="view-acccgov-acquisitions-register") is None:
        raise SourceUnreachable(page_url, "the answer is not the acquisitions register's list")
    entries = [entry for entry in (parse_card(row, page_url) for row in rows) if entry]
    pager = soup.select_one("nav.pager a[rel=next], .pager__item--next a[href]")
    link = urljoin(page_url, str(pager["href"])) if pager and pager.get("href") else None
    return entries, link


def parse_card(row: Tag, page_url: str) -> ListEntry | None:
    """A list entry, or None for a card without a case number or a link to its page."""
    fields = _fields(row)
    matter_id = _text(fields, "case number", "acquisition case number")
    link = row.select_one(".accc-collapsed-card__header a[href]") or row.find("a", href=True)
    if not MATTER_ID.match(matter_id) or link is None:
        return None
    url = urljoin(page_url, str(link["href"]))
    if _origin(url) != _origin(page_url):
        # A card sending the importer to another host is not followed.
        return ListEntry(source_id=matter_id, url=url, fingerprint="", followed=False)
    status = _text(fields, "acquisition status")
    seen = [
        _squash(link.get_text(" ")),
        status,
        _text(fields, "type"),
        _text(fields, "stage"),
        _text(fields, "effective notification date", "waiver application date"),
        url,
    ]
    if status in OPEN_STATUSES:
        # A running matter gains documents and deadlines its card does not show: it is
        # read again once a day.
        seen.append(timezone.localdate().isoformat())
    return ListEntry(
        source_id=matter_id,
        url=url,
        fingerprint=hashlib.sha256("|".join(seen).encode()).hexdigest(),
    )


def _origin(url: str) -> tuple[str, str | None, int | None]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.hostname, parts.port


_IDENTIFIER = re.compile(r"\b(ABN|ACN)\s*-?\s*((?:\d\s*){9,11})")


def parse_parties(fields: dict[str, Tag], label: str) -> list[PartySide]:
    """The named parties of a field, each with its ABN (or ACN) as a second name: the
    register's own identifier tells two companies of one name apart and finds a company
    again under another spelling."""
    field = fields.get(label)
    sides = []
    for item in field.select("li") if field is not None else []:
        name_tag = item.find(class_="field_acccgov_name")
        name = _squash(name_tag.get_text(" ")) if name_tag is not None else ""
        if not name:
            continue
        number = _IDENTIFIER.search(_squash(item.get_text(" ")))
        names = [name]
        if number:
            names.append(f"{number.group(1)} {_squash(number.group(2))}")
        sides.append(PartySide(tuple(names)))
    if not sides:
        raise ParseError(f"{label}: no party named")
    return sides


_EXTENDED = re.compile(r"timeline extended by (\d+) business days?\s*[–-]?\s*(.*)", re.I)
_PHASE_2_START = re.compile(r"phase 2 notice|subject to phase 2", re.I)
_CEASED = re.compile(r"ceased", re.I)


def parse_events(article: Tag, page_url: str) -> list[Document]:
    """The rows of "Decisions and key events", each a dated document (the matter's page
    when a row has none); a determination is a decision, a timeline extension a clock act."""
    documents = []
    for number, row in enumerate(article.select("table tr"), start=1):
        cells = row.find_all("td")
        if not cells:
            continue
        time = row.find("time")
        stamp = str(time.get("datetime") or "") if time is not None else ""
        day = iso_date(stamp, f"Decisions and key events: row {number} date") if stamp else None
        if day is None:
            day = long_date(_squash(cells[0].get_text(" ")))
        if day is None:
            raise ParseError(f"Decisions and key events: row {number} has no date")
        title = _squash(cells[1].get_text(" ")) if len(cells) > 1 else ""
        if not title:
            raise ParseError(f"Decisions and key events: row {number} has no title")
        link = row.select_one("td.acccgov-timeline__file-link a[href]") or row.find("a", href=True)
        url = urljoin(page_url, str(link["href"])) if link is not None else page_url
        extended = _EXTENDED.match(title)
        lowered = title.lower()
        documents.append(
            Document(
                day,
                _clip(title),
                url,
                title if len(title) > 300 else "",
                is_decision="determination" in lowered and "questionnaire" not in lowered,
                clock_action=CLOCK_EXTEND if extended else "",
                clock_length=int(extended.group(1)) if extended else 0,
                clock_reason=extended.group(2).strip() if extended else "",
            )
        )
    return documents


def _clip(text: str, length: int = 300) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def parse_matter(html: str, page_url: str) -> CaseRecord:
    """A CaseRecord from a matter's page; ParseError names the field that is wrong."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article")
    if not isinstance(article, Tag):
        raise ParseError("article: the page shows no matter")
    fields = _fields(article)
    matter_id = _text(fields, "acquisition case number", "case number")
    if not MATTER_ID.match(matter_id):
        raise ParseError(f"Acquisition case number: expected MN-… or WA-…, got {matter_id!r}")
    heading = soup.select_one("h1.page-title") or soup.find("h1")
    title = _squash(heading.get_text(" ")) if heading is not None else ""
    if not title:
        raise ParseError("title: missing")
    kind = _text(fields, "type")
    if kind not in (NOTIFICATION, WAIVER):
        raise ParseError(f"Type: expected Notification or Waiver, got {kind!r}")
    if (kind == WAIVER) != matter_id.startswith("WA-"):
        raise ParseError(f"Type: {kind} does not fit the case number {matter_id}")
    status = _text(fields, "acquisition status")
    if status not in STATUSES:
        raise ParseError(f"Acquisition status: not a status of the register ({status!r})")
    stage = _text(fields, "stage")
    determination = _text(fields, "accc determination")
    date_label = "waiver application date" if kind == WAIVER else "effective notification date"
    opened_on = _date(fields, date_label)
    if opened_on is None:
        raise ParseError(f"{date_label.capitalize()}: missing")
    determined_on = _date(fields, "determination publication date")
    period_ends = _date(fields, "end of determination period")

    acquirers = parse_parties(fields, "acquirer(s)")
    targets = parse_parties(fields, "target(s) or vendor(s)")
    anzsic = [_squash(code) for code in _text(fields, "anzsic code(s)").split(";")]
    documents = parse_events(article, page_url)

    mapped = from_register(kind, status, stage, determination)
    closed = mapped.status not in (None, ReviewStatus.PHASE_1, ReviewStatus.PHASE_2)
    closed_on = determined_on
    if status not in OPEN_STATUSES and closed_on is None:
        # The register leaves the date out of some decided matters, and a ceased matter has
        # none: the matter ends with the entry that decides it, or says it ceased.
        ending = [d.occurred_on for d in documents if d.is_decision or _CEASED.search(d.title)]
        closed_on = max(ending or [d.occurred_on for d in documents], default=None)
    if closed and closed_on is None:
        raise ParseError("Determination publication date: a closed matter needs its date")
    in_phase_2 = stage_phase(stage) == PHASE_2_STAGE
    phase_2_on = min(
        (d.occurred_on for d in documents if _PHASE_2_START.search(d.title)), default=None
    )
    if in_phase_2 and phase_2_on is not None:
        # The entry that opens phase 2 is the status change itself: cited to the matter's
        # page, as the change is, it is one event on the timeline, not two.
        documents = [
            replace(d, url=page_url)
            if d.occurred_on == phase_2_on and _PHASE_2_START.search(d.title)
            else d
            for d in documents
        ]
    deal_type = DealType.JOINT_VENTURE if "joint venture" in title.lower() else DealType.ACQUISITION
    # One acquirer leads the deal's sides (several are related bodies corporate, and the
    # applier reads the first side as the acquirer, the others as targets).
    sides = [acquirers[0], *targets] if deal_type == DealType.ACQUISITION else acquirers + targets
    return CaseRecord(
        source=NAME,
        source_id=matter_id,
        url=page_url,
        regulator="accc",
        title=title,
        deal_title=title,
        deal_type=deal_type,
        sides=sides,
        status=mapped.status,
        outcome=mapped.outcome,
        outcome_wording=_wording(kind, determination) if closed else "",
        registry_state=status,
        registry_outcome=determination or (status if status not in OPEN_STATUSES else stage),
        opened_on=opened_on,
        closed_on=closed_on if status not in OPEN_STATUSES else None,
        phase_2_on=(phase_2_on or opened_on) if in_phase_2 else None,
        reached_phase_2=in_phase_2,
        opens_in="" if kind == WAIVER else ReviewStatus.PHASE_1,
        published_deadline=period_ends if status in OPEN_STATUSES else None,
        documents=documents,
        currency="AUD",
        reference=matter_id,
        sector=anzsic[0][:100] if anzsic and anzsic[0] else "",
    )


def _wording(kind: str, determination: str) -> str:
    if not determination:
        return ""
    if kind == WAIVER:
        return f"Notification waiver: {determination.lower()}"
    return f"ACCC determination: {determination.lower()}"
