"""Court dockets from CourtListener's REST API (v4): each docket entry of a followed case,
parsed into a NoticeRecord that lands on the proceeding with that docket number in that
court.

`/api/rest/v4/docket-entries/` filtered by the docket's court and number
(`docket__court`, `docket__docket_number`: the entries' filter reaches the docket's, see
DocketEntryFilter in freelawproject/courtlistener, cl/search/filters.py) and by
`date_filed__gte`, ordered by `entry_number`, paged by the cursor link in `next`. Each
result has `entry_number`, `date_filed`, `description`, `docket` (the docket's API link)
and `recap_documents` (each with `document_number`, `attachment_number`, `description`,
`absolute_url` and `filepath_local`). The list carries every field we read, so no entry is
fetched on its own. The API wants a token (`Authorization: Token <key>`); without one the
source is off.

An entry is cited by its number (ECF No.); an unnumbered one (a minute order) is not
followed. A judgment moves nothing: how it closes the case is an editor's call.

Which dockets: every litigation proceeding the tracker holds with a court and a docket
number, plus those in the setting `COURTLISTENER_DOCKETS` ("court-slug docket-number",
separated by ";").
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterator
from typing import ClassVar
from urllib.parse import parse_qs, urljoin, urlsplit

from django.utils import timezone

from tracker.choices import EventKind, ReviewStatus, ReviewType, SourceType
from tracker.models import Review

from ..client import FetchError, PoliteClient, SourceUnreachable, next_page
from ..dates import iso_date
from ..records import ListEntry, NoticeRecord, ParseError
from . import register
from .base import Source

NAME = "courtlistener"
ENTRIES_PATH = "/api/rest/v4/docket-entries/"
STORAGE_URL = "https://storage.courtlistener.com/"
ENTRY_FIELDS = ("entry_number", "date_filed", "description", "docket")
DOCUMENT_FIELDS = ("document_number", "attachment_number", "absolute_url", "filepath_local")
# Our court slugs and CourtListener's court ids, with the short name a citation uses.
COURTS = {
    "us-dcd": ("dcd", "D.D.C."),
    "us-cadc": ("cadc", "D.C. Cir."),
    "us-ndcal": ("cand", "N.D. Cal."),
    "us-ca9": ("ca9", "9th Cir."),
    "us-ca5": ("ca5", "5th Cir."),
}
# US v. Google (search) and its companion case brought by the states.
DEFAULT_DOCKETS = "us-dcd 1:20-cv-03010; us-dcd 1:20-cv-03715"

# The first words of an entry's text, as clerks write them, and what the entry is; the
# first that matches wins, so a memorandum opinion and order is an opinion.
_KINDS = (
    (re.compile(r"^\s*(?:amended\s+)?complaint\b", re.I), EventKind.COMPLAINT),
    (re.compile(r"^\s*notice\s+of\s+(?:cross[\s-]+)?appeal\b", re.I), EventKind.APPEAL),
    (re.compile(r"^\s*(?:memorandum\s+)?opinion\b", re.I), EventKind.OPINION),
    (re.compile(r"^\s*(?:final\s+|amended\s+final\s+)?judgment\b", re.I), EventKind.JUDGMENT),
    (
        re.compile(r"^\s*minute\s+entry\b.*\b(?:hearing|conference|trial)\b", re.I),
        EventKind.HEARING,
    ),
)
# What an act does to its proceeding when it is news: a complaint starts the litigation,
# a notice of appeal takes it to the court of appeals.
_MOVES: dict[str, str] = {
    EventKind.COMPLAINT: ReviewStatus.LITIGATION,
    EventKind.APPEAL: ReviewStatus.APPEAL,
}


def site_url() -> str:
    return Source.setting("COURTLISTENER_URL", "https://www.courtlistener.com").rstrip("/")


def token() -> str:
    return Source.setting("COURTLISTENER_TOKEN").strip()


def docket_key(court: str, docket_number: str) -> str:
    return f"{court} {docket_number}"


@register
class CourtListener(Source):
    name = NAME
    title = "Court dockets (CourtListener)"
    regulators: ClassVar[dict[str, dict[str, str]]] = {}  # a docket speaks for no regulator
    schedule_setting = "IMPORTS_COURTLISTENER_SCHEDULE"
    default_schedule = "30 */6 * * *"
    first_run_since = None  # a docket read for the first time is read in full
    # Entries are listed by date filed, and a clerk may enter one days after its filing
    # date: a scheduled run reads from two weeks before the last complete run.
    scheduled_overlap = datetime.timedelta(days=14)

    def off_because(self) -> str:
        return "" if token() else "no API token: set COURTLISTENER_TOKEN"

    def list_entries(self, client, since, state):
        return list_entries(client, followed_dockets(), since, state)

    def parse(self, content, entry_url):
        return parse_entry(content, entry_url)

    def sample_file(self, url: str) -> str:
        """A docket's entries are one file per docket (and cursor page): the query names it."""
        parts = urlsplit(url)
        if not parts.path.endswith(ENTRIES_PATH):
            return super().sample_file(url)
        query = parse_qs(parts.query)
        court = query.get("docket__court", [""])[0]
        number = query.get("docket__docket_number", [""])[0].replace(":", "-")
        cursor = query.get("cursor", [""])[0]
        page = f"-{re.sub(r'[^A-Za-z0-9]', '', cursor)}" if cursor else ""
        return f"{parts.hostname}{parts.path}{court}/{number}{page}.json"


def followed_dockets() -> list[tuple[str, str]]:
    """(court slug, docket number) of each followed docket in a court CourtListener knows,
    the tracker's proceedings first, each once."""
    held = Review.objects.filter(court__isnull=False).exclude(docket_number="")
    pairs = list(held.order_by("pk").values_list("court__slug", "docket_number"))
    for item in Source.setting("COURTLISTENER_DOCKETS", DEFAULT_DOCKETS).split(";"):
        court, _, number = item.strip().partition(" ")
        if court and number.strip():
            pairs.append((court, number.strip()))
    unique = dict.fromkeys((court, number.strip()) for court, number in pairs if court in COURTS)
    return list(unique)


def list_entries(
    client: PoliteClient,
    dockets: list[tuple[str, str]],
    since: datetime.date | None,
    state: dict,
) -> Iterator[ListEntry]:
    """Every entry of the followed dockets; a docket read before is read from `since`, one
    never read in full. `state["dockets"]` keeps the dockets read, and when."""
    read = state.setdefault("dockets", {})
    for court, docket_number in dockets:
        key = docket_key(court, docket_number)
        known = key in read
        for entry in docket_entries(client, court, docket_number, since if known else None):
            yield list_entry(court, docket_number, entry, news=known)
        read[key] = timezone.localdate().isoformat()


def docket_entries(
    client: PoliteClient, court: str, docket_number: str, since: datetime.date | None
) -> Iterator[dict]:
    url: str | None = f"{site_url()}{ENTRIES_PATH}"
    params: list = [
        ("docket__court", COURTS[court][0]),
        ("docket__docket_number", docket_number),
        ("order_by", "entry_number"),
    ]
    if since is not None:
        params.append(("date_filed__gte", since.isoformat()))
    query: list | None = params
    while url:
        page = _listing(client, url, query)
        yield from page["results"]
        # The next page's link carries the query (and the cursor).
        url, query = next_page(site_url(), page, "next"), None


def _listing(client: PoliteClient, url: str, params) -> dict:
    """One page of a docket's entries; a page that cannot be read makes the register
    unreadable, as a list page does."""
    auth = {"Authorization": f"Token {token()}"} if token() else None
    try:
        response = client.get(url, params, auth)
    except FetchError as exc:
        raise SourceUnreachable(exc.url, exc.reason, exc.status) from exc
    try:
        page = response.json()
    except ValueError:
        raise SourceUnreachable(url, "the docket entries answer is not valid JSON") from None
    if not isinstance(page, dict) or not isinstance(page.get("results"), list):
        raise SourceUnreachable(url, "the docket entries answer has no 'results' list")
    return page


def list_entry(court: str, docket_number: str, entry, *, news: bool) -> ListEntry:
    number = entry.get("entry_number") if isinstance(entry, dict) else None
    fingerprint = hashlib.sha256(_what_we_read(entry).encode()).hexdigest()
    label = str(number) if isinstance(number, int) else f"unnumbered-{fingerprint[:12]}"
    payload = {"court": court, "docket_number": docket_number, "entry": entry, "news": news}
    return ListEntry(
        source_id=f"{court}:{docket_number}:{label}",
        url=document_url(entry) if isinstance(entry, dict) else "",
        fingerprint=fingerprint,
        # Unnumbered minute entries have no number to cite them by.
        followed=not (isinstance(entry, dict) and entry.get("entry_number") is None),
        payload=payload,
    )


def _what_we_read(entry) -> str:
    """The entry's fields this source reads, as text: a change elsewhere in it (its
    modification time, a page count) is no change to the tracker."""
    if not isinstance(entry, dict):
        return json.dumps(entry, sort_keys=True, default=str)
    documents = entry.get("recap_documents")
    if isinstance(documents, list):
        documents = [
            {field: d.get(field) for field in DOCUMENT_FIELDS} if isinstance(d, dict) else d
            for d in documents
        ]
    read = {field: entry.get(field) for field in ENTRY_FIELDS} | {"recap_documents": documents}
    return json.dumps(read, sort_keys=True, default=str)


# --- pure parsing ----------------------------------------------------------------------


def event_kind(description: str) -> str:
    for pattern, kind in _KINDS:
        if pattern.search(description):
            return kind
    return EventKind.FILING


def main_document(entry: dict) -> dict | None:
    """The entry's own document (not an attachment), else its first."""
    documents = [d for d in entry.get("recap_documents") or [] if isinstance(d, dict)]
    main = [d for d in documents if not d.get("attachment_number")]
    return next(iter(main or documents), None)


def document_url(entry: dict) -> str:
    """The document's page on CourtListener, else its PDF in CourtListener's storage, else
    the entry's docket (an entry whose document is not in the archive)."""
    document = main_document(entry) if isinstance(entry.get("recap_documents"), list) else None
    for base, link in (
        (f"{site_url()}/", (document or {}).get("absolute_url")),
        (STORAGE_URL, (document or {}).get("filepath_local")),
    ):
        if isinstance(link, str) and link:
            return urljoin(base, link)
    docket = entry.get("docket")
    return docket if isinstance(docket, str) and docket.startswith("http") else ""


def parse_entry(content, entry_url: str = "") -> NoticeRecord:
    if not isinstance(content, dict) or not isinstance(content.get("entry"), dict):
        raise ParseError("the docket entry is not a JSON object")
    court, docket_number, entry = content["court"], content["docket_number"], content["entry"]
    if court not in COURTS:
        raise ParseError(f"court: CourtListener has no court for {court!r}")
    number = entry.get("entry_number")
    if not isinstance(number, int) or isinstance(number, bool) or number < 0:
        raise ParseError(f"entry_number: not a number ({number!r})")
    filed_on = iso_date(entry.get("date_filed"), "date_filed")
    if filed_on is None:
        raise ParseError("date_filed: missing")
    description = entry.get("description")
    if not isinstance(description, str) or not description.strip():
        raise ParseError("description: missing")
    if not isinstance(entry.get("recap_documents", []), list):
        raise ParseError("recap_documents: not a list")
    description = " ".join(description.split())
    kind = event_kind(description)
    url = document_url(entry) or entry_url
    if kind in (EventKind.OPINION, EventKind.JUDGMENT) and not url:
        raise ParseError("recap_documents: an opinion or judgment without a link to it")
    short_name = COURTS[court][1]
    return NoticeRecord(
        source=NAME,
        source_id=f"{court}:{docket_number}:{number}",
        url=url,
        regulator="",
        kind=kind,
        title=f"ECF No. {number}: {description}"[:300],
        abstract="",
        published_on=filed_on,
        sides=[],
        event_kind=kind,
        source_type=SourceType.COURT,
        source_title=f"{docket_number} ({short_name}), ECF No. {number} (CourtListener)",
        references=[docket_number],
        court=court,
        may_open=False,
        review_type=ReviewType.LITIGATION,
        # A docket read for the first time is its past: it moves no proceeding.
        moves_to=_MOVES.get(kind, "") if content.get("news") else "",
        history=not content.get("news"),
    )
