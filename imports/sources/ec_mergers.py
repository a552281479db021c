"""European Commission merger cases from the Commission's open-data file `case-data-M.json`,
parsed into plain CaseRecords.

The file is one JSON object keyed by case number (`M.11766`). Each case has `metadata`
(`caseNumber`, `caseTitle`, `caseCompanies`, `caseSectors`, `caseInitiationDate`,
`caseNotificationDate`, `caseDeadlineDate`, `caseLastDecisionDate`, ...), `caseAttachments`
and `decisions` (each with `metadata`: `decisionAdoptionDate`, `decisionTypes`,
`decisionPressReleases`; and `decisionAttachments`). Every value is an array, and a coded
value is a JSON document inside a string (`'{"code": ..., "label": "Art. 6(1)(b)"}'`).
There is no phase field: where a case stands follows from its decisions' types (see
`ec_mergers_decisions`).

The whole register is one document, read once per run with a conditional GET.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import re
from collections.abc import Iterator
from typing import Any

from tracker.choices import DealType

from ..client import FetchError, PoliteClient, SourceUnreachable
from ..dates import iso_date
from ..records import CaseRecord, Document, ListEntry, ParseError, PartySide
from . import register
from .base import Source
from .ec_mergers_decisions import Act, Standing, decision_act, standing

NAME = "ec_mergers"
DEFAULT_URL = (
    "https://compcases-open-data-portal-files-prod.s3.eu-west-1.amazonaws.com/case-data-M.json"
)
CASE_PAGE = "https://competition-cases.ec.europa.eu/cases/{number}"
PRESS_RELEASE = "https://ec.europa.eu/commission/presscorner/detail/en/{slug}"
_CASE_NUMBER = re.compile(r"^M\.\d+$")
_PRESS_REFERENCE = re.compile(r"^(IP|MEX|STATEMENT|MEMO|SPEECH)/(\d{2})/(\d+)$", re.IGNORECASE)

# How many cases the file may lose between two complete runs before it is taken for a broken
# export rather than the register: the Commission merges or withdraws the odd entry, so a few
# go; a cut-off or half-built export loses far more than one in a hundred of some 12,000.
SHRINK_TOLERANCE = 0.01
SHRINK_MIN_CASES = 2
NOT_AN_OBJECT = "not_an_object"


def data_url() -> str:
    return Source.setting("EC_CASE_DATA_URL", DEFAULT_URL)


def case_url(number: str) -> str:
    return CASE_PAGE.format(number=number)


@register
class CommissionMergers(Source):
    name = NAME
    title = "European Commission merger cases (open data)"
    regulators = {
        "ec": dict(
            short_name="EC",
            name="European Commission (DG COMP)",
            jurisdiction="EU",
            website="https://competition-policy.ec.europa.eu",
            calendar="EU-COM",
        )
    }
    schedule_setting = "IMPORTS_EC_MERGERS_SCHEDULE"
    # The file is rebuilt once a day.
    default_schedule = "20 6 * * *"

    def list_entries(self, client, since, state):
        # One file holds the whole register: `since` cannot narrow it, and the fingerprints
        # leave the unchanged cases alone.
        return list_entries(client, state)

    def parse(self, content, entry_url):
        return parse_case(content, entry_url)


# --- client calls ----------------------------------------------------------------------


def list_entries(client: PoliteClient, state: dict) -> Iterator[ListEntry]:
    """One entry per case of the file, or none when it has not changed since the last
    complete run. The file is read and checked whole before anything is listed: a truncated
    or shrunken file means the register cannot be read, and nothing of it is applied."""
    url = data_url()
    headers = {}
    if state.get("etag"):
        headers["If-None-Match"] = state["etag"]
    if state.get("last_modified"):
        headers["If-Modified-Since"] = state["last_modified"]
    try:
        response = client.get(url, headers=headers)
    except FetchError as exc:
        raise SourceUnreachable(exc.url, exc.reason, exc.status) from exc
    if response.status_code == 304:
        return
    cases = read_file(response.content, url)
    check_size(cases, state, url)
    state.update(
        etag=response.headers.get("ETag", ""),
        last_modified=response.headers.get("Last-Modified", ""),
        cases=len(cases),
    )
    for number, case in cases.items():
        yield list_entry(number, case)


def read_file(body: bytes, url: str) -> dict:
    try:
        cases = json.loads(body)
    except ValueError:
        raise SourceUnreachable(url, "the case file is not valid JSON (truncated?)") from None
    if not isinstance(cases, dict):
        raise SourceUnreachable(url, "the case file is not an object keyed by case number")
    return cases


def check_size(cases: dict, state: dict, url: str) -> None:
    before = int(state.get("cases") or 0)
    allowed = max(SHRINK_MIN_CASES, int(before * SHRINK_TOLERANCE))
    if before and len(cases) < before - allowed:
        raise SourceUnreachable(
            url,
            f"the case file lists {len(cases)} cases, {before} at the last complete run: "
            "taken for a broken export",
        )


def list_entry(number: str, case: Any) -> ListEntry:
    seen = json.dumps(case, sort_keys=True, ensure_ascii=False, default=str)
    return ListEntry(
        source_id=str(number),
        url=case_url(str(number)),
        fingerprint=hashlib.sha256(seen.encode()).hexdigest(),
        # A list entry carries an object: anything else is kept aside for `parse` to refuse.
        payload=case if isinstance(case, dict) else {NOT_AN_OBJECT: case},
    )


# --- pure parsing ----------------------------------------------------------------------


def decoded(value: Any) -> Any:
    """A coded value: the JSON document inside a string, or the value itself."""
    if isinstance(value, str) and value.strip().startswith(("{", "[")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def values(metadata: dict, name: str, where: str) -> list:
    value = metadata.get(name, [])
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError(f"{where}.{name}: expected an array, got {type(value).__name__}")
    return value


def first(metadata: dict, name: str, where: str) -> Any:
    found = values(metadata, name, where)
    return found[0] if found else None


def label(value: Any) -> str:
    """The readable name of a coded value ({"code", "label"}), else the text itself."""
    value = decoded(value)
    if isinstance(value, dict):
        value = value.get("label") or value.get("code") or ""
    return value.strip() if isinstance(value, str) else ""


def _metadata(node: Any, where: str) -> dict:
    if not isinstance(node, dict):
        raise ParseError(f"{where}: expected an object")
    metadata = decoded(node.get("metadata"))
    if not isinstance(metadata, dict):
        raise ParseError(f"{where}.metadata: missing")
    return metadata


def _list(case: dict, name: str) -> list:
    value = case.get(name) or []
    if not isinstance(value, list):
        raise ParseError(f"{name}: expected an array")
    return value


def parse_case(case: Any, entry_url: str = "") -> CaseRecord:
    """A CaseRecord from one case of the file; ParseError names the field that is wrong."""
    if not isinstance(case, dict) or NOT_AN_OBJECT in case:
        raise ParseError("the case is not a JSON object")
    meta = _metadata(case, "case")
    number = first(meta, "caseNumber", "metadata") or entry_url.rstrip("/").rsplit("/", 1)[-1]
    if not isinstance(number, str) or not _CASE_NUMBER.match(number.strip()):
        raise ParseError(f"metadata.caseNumber: not a merger case number ({number!r})")
    number = number.strip()
    title = first(meta, "caseTitle", "metadata")
    if not isinstance(title, str) or not title.strip():
        raise ParseError("metadata.caseTitle: missing")
    title = " ".join(title.split())
    sides = parties(meta, title)
    notified_on = iso_date(
        first(meta, "caseNotificationDate", "metadata"), "metadata.caseNotificationDate"
    )
    initiated_on = iso_date(
        first(meta, "caseInitiationDate", "metadata"), "metadata.caseInitiationDate"
    )
    deadline = iso_date(first(meta, "caseDeadlineDate", "metadata"), "metadata.caseDeadlineDate")
    page = case_url(number)
    acts, documents = decisions(_list(case, "decisions"), page)
    documents += attachments(_list(case, "caseAttachments"), "caseAttachments")
    if notified_on is None and initiated_on is None and not documents:
        # Nothing to date the case by: the applier could not open it on a day.
        raise ParseError("metadata.caseNotificationDate: missing, and no other date")
    where = standing(acts, notified=notified_on is not None)
    return CaseRecord(
        source=NAME,
        source_id=number,
        url=page,
        regulator="ec",
        title=f"{number} {title}",
        deal_title=title,
        deal_type=DealType.JOINT_VENTURE
        if re.search(r"\bJV\b|joint venture", title, re.IGNORECASE)
        else DealType.ACQUISITION,
        sides=sides,
        # Plain values, as kept in proposals and shown to editors.
        status=str(where.status) if where.status is not None else None,
        outcome=str(where.outcome),
        outcome_wording=where.wording if where.closed else "",
        registry_state="closed" if where.closed else "open",
        registry_outcome=where.wording,
        opened_on=notified_on or initiated_on,
        closed_on=where.decided_on if where.closed else None,
        phase_2_on=where.phase_2_on,
        reached_phase_2=where.phase_2_on is not None,
        published_deadline=deadline if _is_open(where) else None,
        documents=documents,
        currency="EUR",
        reference=number,
        sector=sector(values(meta, "caseSectors", "metadata")),
    )


def _is_open(where: Standing) -> bool:
    return where.status is not None and not where.closed


_TITLE_TAIL = re.compile(r"\s*/\s*JV\s*$|\s*\((?:Art\.|Article)[^)]*\)\s*$", re.IGNORECASE)


def parties(meta: dict, title: str) -> list[PartySide]:
    """The parties as the register names them (`caseCompanies`), else as the title does."""
    names = [label(name) for name in values(meta, "caseCompanies", "metadata") if label(name)]
    if len(names) == 1:
        names = re.split(r"\s+/\s+|\s*;\s*", names[0])
    if len(names) < 2:
        names = re.split(r"\s*/\s*", _TITLE_TAIL.sub("", title))
    sides = [PartySide((name.strip(),)) for name in names if name.strip()]
    if len(sides) < 2:
        raise ParseError(f"metadata.caseCompanies: cannot tell the parties apart in {title!r}")
    return sides


def sector(codes: list) -> str:
    """The NACE sectors as the register labels them ("J.62 - Computer programming ...")."""
    return "; ".join(dict.fromkeys(label(code) for code in codes if label(code)))[:100]


def decisions(items: list, page: str) -> tuple[list, list[Document]]:
    """The decisions as (date, act) for the case's standing, and as dated documents: the
    decision itself (sourced to the case page, where the register shows it), its press
    releases and its published texts."""
    acts, documents = [], []
    for n, decision in enumerate(items):
        where = f"decisions[{n}]"
        meta = _metadata(decision, where)
        adopted_on = iso_date(
            first(meta, "decisionAdoptionDate", f"{where}.metadata"),
            f"{where}.metadata.decisionAdoptionDate",
        )
        types = [label(t) for t in values(meta, "decisionTypes", f"{where}.metadata")]
        types = [t for t in types if t]
        if not types:
            raise ParseError(f"{where}.metadata.decisionTypes: missing")
        if adopted_on is None:
            raise ParseError(f"{where}.metadata.decisionAdoptionDate: missing")
        for kind in types:
            acts.append((adopted_on, kind, decision_act(kind)))
        named = " / ".join(types)
        # A withdrawn notification is the parties' act, not a decision of the Commission.
        decided = any(decision_act(t) != Act.WITHDRAWN for t in types)
        documents.append(Document(adopted_on, f"Decision: {named}", page, named, decided))
        documents += press_releases(
            values(meta, "decisionPressReleases", f"{where}.metadata"), adopted_on, named
        )
        documents += attachments(
            decision.get("decisionAttachments") or [], f"{where}.decisionAttachments"
        )
    return acts, documents


def press_releases(coded: list, adopted_on: datetime.date, named: str) -> list[Document]:
    """The press releases of a decision: `{"items": [{"reference", "publishedDate"}]}`."""
    found = []
    for value in coded:
        value = decoded(value)
        items = value.get("items", []) if isinstance(value, dict) else [value]
        for item in items:
            reference = item.get("reference") if isinstance(item, dict) else item
            match = _PRESS_REFERENCE.match(str(reference or "").strip())
            if not match:
                continue
            kind, year, serial = match.groups()
            published = item.get("publishedDate") if isinstance(item, dict) else None
            day = iso_date(published, "decisionPressReleases.publishedDate") or adopted_on
            slug = f"{kind.lower()}_{year}_{serial}"
            found.append(
                Document(
                    day,
                    f"Press release {match.group(0).upper()}",
                    PRESS_RELEASE.format(slug=slug),
                    f"On the decision: {named}",
                )
            )
    return found


def attachments(items: Any, where: str) -> list[Document]:
    """The published documents with a link and a date (a document without either is not an
    event on the timeline)."""
    if not isinstance(items, list):
        raise ParseError(f"{where}: expected an array")
    found = []
    for n, item in _in_english(items, where):
        meta = _metadata(item, f"{where}[{n}]")
        link = label(first(meta, "attachmentLink", f"{where}[{n}].metadata"))
        day = iso_date(
            first(meta, "attachmentPublicationBusinessDate", f"{where}[{n}].metadata")
            or first(meta, "attachmentSentDate", f"{where}[{n}].metadata"),
            f"{where}[{n}].metadata.attachmentPublicationBusinessDate",
        )
        if not link or day is None:
            continue
        category = label(first(meta, "attachmentCategory", f"{where}[{n}].metadata"))
        name = label(first(meta, "attachmentName", f"{where}[{n}].metadata"))
        document = Document(day, (category or name or "Document")[:300], link, name)
        if document.url:
            found.append(document)
    return found


def _in_english(items: list, where: str) -> list[tuple[int, Any]]:
    """The English versions of the documents, where the register has them: each text is
    published in several languages, and one event per text is enough."""
    numbered = list(enumerate(items))
    languages = [
        label(first(_metadata(item, f"{where}[{n}]"), "attachmentLanguage", where)).upper()
        for n, item in numbered
    ]
    english = [
        pair for pair, language in zip(numbered, languages, strict=True) if language in ("", "EN")
    ]
    return english or numbered[:1]
