"""The Bundeskartellamt's list of merger control proceedings ("Laufende Verfahren"), an HTML
table parsed into plain CaseRecords.

The list is one table, a row per notified concentration, with the columns: the date of
notification ("Datum", DD.MM.YYYY), the file number ("Aktenzeichen", B<decision
division>-<number>/<yy>, e.g. B9-190/16), the undertakings concerned ("Unternehmen", one
per line or separated by " / "), the product area ("Produktbereich") and the conclusion
("Abschluss": "-" while the case is open, else its wording and date, see
`bkarta_conclusions`). Long lists are paged; the pager's "forward" link leads to the next
page. The list carries every field we read, so no row is fetched on its own.

Cells may carry soft hyphens (U+00AD) for line breaking; they are dropped. A proceeding
marked "*" is a concentration already implemented, examined afterwards without a time
limit (GWB s.41(3)); the mark is not part of the file number.

A row has no page of its own: its link is the list's, with the file number as fragment.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterator
from urllib.parse import quote, urljoin

from bs4 import BeautifulSoup, Tag

from tracker.choices import DealType, ReviewStatus

from ..client import FetchError, PoliteClient, SourceUnreachable, next_page
from ..records import CaseRecord, ListEntry, ParseError, PartySide
from . import register
from .base import Source
from .bkarta_conclusions import conclusion_of

NAME = "bkarta_mergers"
LIST_URL = (
    "https://www.bundeskartellamt.de/SiteGlobals/Forms/Suche/LaufendeVerfahren/"
    "LaufendeVerfahren_Formular.html"
)
COLUMNS = ("date", "reference", "parties", "product_area", "conclusion")
# A list that pages on without end is not followed past this many pages.
MAX_PAGES = 200

_REFERENCE = re.compile(r"^B\s*(\d{1,2})\s*-\s*(\d{1,4})\s*/\s*(\d{2})\s*\*?$")
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_SIDES = re.compile(r"\s*\n\s*|\s+/\s+")


def list_url() -> str:
    return Source.setting("BKARTA_LIST_URL", LIST_URL)


@register
class BundeskartellamtMergers(Source):
    name = NAME
    title = "Bundeskartellamt merger control proceedings"
    regulators = {
        "bkarta": dict(
            short_name="BKartA",
            name="Bundeskartellamt",
            jurisdiction="DE",
            website="https://www.bundeskartellamt.de",
            calendar="DE",
        )
    }
    schedule_setting = "IMPORTS_BKARTA_MERGERS_SCHEDULE"
    default_schedule = "35 * * * *"

    def list_entries(self, client, since, state):
        return list_entries(client)

    def parse(self, content, entry_url):
        return parse_row(content, entry_url)


# --- client calls ----------------------------------------------------------------------


def list_entries(client: PoliteClient) -> Iterator[ListEntry]:
    """Every row of every page of the list; a page that cannot be read, or that has no
    table of proceedings, means the register cannot be read."""
    base = list_url()
    url: str | None = base
    seen_pages: set[str] = set()
    while url and url not in seen_pages and len(seen_pages) < MAX_PAGES:
        seen_pages.add(url)
        try:
            html = client.get_text(url)
        except FetchError as exc:
            raise SourceUnreachable(exc.url, exc.reason, exc.status) from exc
        soup = BeautifulSoup(html, "html.parser")
        table = proceedings_table(soup)
        if table is None:
            raise SourceUnreachable(url, "the page has no table of merger proceedings")
        for number, cells in enumerate(table_rows(table), start=1):
            yield list_entry(cells, base, f"{len(seen_pages)}-{number}")
        forward = forward_link(soup)
        url = next_page(base, {"next": urljoin(url, forward)}, "next") if forward else None


# --- pure parsing ----------------------------------------------------------------------


def proceedings_table(soup: BeautifulSoup) -> Tag | None:
    """The table whose header (its <th> cells, else its first row) names the file number
    column."""
    for table in soup.find_all("table"):
        header = table.find_all("th") or (table.find("tr") or table).find_all("td")
        if _is_header(header):
            return table
    return None


def table_rows(table: Tag) -> Iterator[list[str]]:
    """Each body row's cells as text, a line per <br> inside a cell."""
    for row in table.find_all("tr"):
        cells = row.find_all("td")
        if not cells or row.find("th") or _is_header(cells):
            continue
        yield [_cell_text(cell) for cell in cells]


def _is_header(cells: list[Tag]) -> bool:
    """A header row: one of its cells is the file number column's title (as <th>, or as
    <td> in the list's older tables)."""
    return any(
        cell.get_text(strip=True).replace("\u00ad", "").lower() == "aktenzeichen" for cell in cells
    )


_LINE_BREAK = "\u2028"  # stands for a <br> while the markup's own line breaks are spaces


def _cell_text(cell: Tag) -> str:
    """The cell's text, a line per <br>; the markup's own line breaks are only spaces."""
    for br in cell.find_all("br"):
        br.replace_with(_LINE_BREAK)
    text = cell.get_text().replace("\u00ad", "")
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.split(_LINE_BREAK))
    return "\n".join(line for line in lines if line)


def forward_link(soup: BeautifulSoup) -> str:
    """The pager's link to the next page ("" on the last page)."""
    for item in soup.find_all("li", class_="forward"):
        link = item.find("a", href=True)
        if link:
            return str(link["href"])
    link = soup.find("a", rel="next", href=True)
    return str(link["href"]) if isinstance(link, Tag) else ""


def case_url(base: str, reference: str) -> str:
    return f"{base.split('#', 1)[0]}#{quote(reference, safe='')}"


def normal_reference(text: str) -> str:
    """ "B 9 - 190/16" as "B9-190/16"; "" when the text is no file number."""
    match = _REFERENCE.match(text.strip())
    return f"B{match.group(1)}-{match.group(2)}/{match.group(3)}" if match else ""


def list_entry(cells: list[str], base: str, position: str) -> ListEntry:
    """A row of the list as an entry; its cells are checked when it is parsed."""
    payload = {"cells": cells, "base": base}
    reference = normal_reference(cells[1]) if len(cells) > 1 else ""
    # A row without a readable file number keeps its place on the list as its id, so that
    # its failure is recorded and reported.
    source_id = reference or f"row-{position}"
    seen = json.dumps(cells, ensure_ascii=False)
    return ListEntry(
        source_id=source_id,
        url=case_url(base, reference) if reference else base,
        fingerprint=hashlib.sha256(seen.encode()).hexdigest(),
        payload=payload,
    )


def german_date(text: str, field: str) -> datetime.date | None:
    """A date written DD.MM.YYYY; None for an empty cell or "-"."""
    text = text.strip()
    if text in ("", "-", "–"):
        return None
    match = _DATE.fullmatch(text)
    if not match:
        raise ParseError(f"{field}: expected a date as DD.MM.YYYY, got {text!r}")
    day, month, year = (int(part) for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ParseError(f"{field}: no such day {text!r}") from None


def parse_sides(text: str) -> list[PartySide]:
    """One side per line (or per " / "), each named as the list names it."""
    sides = []
    for part in _SIDES.split(text.strip()):
        name = part.strip(" ;")
        if name:
            sides.append(PartySide((name,)))
    if len(sides) < 2:
        raise ParseError(f"Unternehmen: cannot tell the undertakings apart in {text!r}")
    return sides


def parse_row(payload, entry_url: str = "") -> CaseRecord:
    """A CaseRecord from a row of the list; ParseError names the column that is wrong."""
    if not isinstance(payload, dict) or not isinstance(payload.get("cells"), list):
        raise ParseError("row: not a row of the list")
    cells = payload["cells"]
    if len(cells) != len(COLUMNS):
        raise ParseError(f"row: expected {len(COLUMNS)} cells, got {len(cells)}")
    row = dict(zip(COLUMNS, cells, strict=True))
    reference = normal_reference(row["reference"])
    if not reference:
        raise ParseError(f"Aktenzeichen: not a file number ({row['reference']!r})")
    opened_on = german_date(row["date"], "Datum")
    sides = parse_sides(row["parties"])
    wording = re.sub(r"\s+", " ", row["conclusion"]).strip()
    conclusion = conclusion_of(wording)
    dated = _DATE.search(wording)
    concluded_on = german_date(dated.group(0), "Abschluss") if dated else None
    status = conclusion.status if conclusion else None
    is_open = status in (ReviewStatus.PHASE_1, ReviewStatus.PHASE_2)
    if is_open and opened_on is None:
        raise ParseError("Datum: an open proceeding needs its date of notification")
    if conclusion is not None and not is_open and concluded_on is None:
        raise ParseError(f"Abschluss: a concluded proceeding needs its date ({wording!r})")
    if opened_on is None and concluded_on is None:
        raise ParseError("Datum: no date of notification and no dated conclusion")
    deal_title = " / ".join(side.names[0] for side in sides)
    base = str(payload.get("base") or list_url())
    return CaseRecord(
        source=NAME,
        source_id=reference,
        url=case_url(base, reference),
        regulator="bkarta",
        title=f"{deal_title} ({reference})"[:200],
        deal_title=deal_title,
        deal_type=DealType.ACQUISITION,
        sides=sides,
        status=status,
        outcome=conclusion.outcome if conclusion else "",
        outcome_wording=wording if conclusion and not is_open else "",
        registry_state="open" if is_open else "concluded" if conclusion else "",
        registry_outcome=wording if wording not in ("", "-", "–") else "",
        opened_on=opened_on,
        closed_on=concluded_on if conclusion and not is_open else None,
        phase_2_on=concluded_on if status == ReviewStatus.PHASE_2 else None,
        reached_phase_2=bool(conclusion and conclusion.reached_phase_2),
        currency="EUR",
        reference=reference,
        sector=row["product_area"].replace("\n", ", "),
    )
