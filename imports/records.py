"""Plain records the parsers produce and the applier consumes: no database, no HTTP."""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

# The API's rule for links: a register's link is shown to readers as a link, so only
# http(s) is kept (never javascript:, data: or file:).
_WEB_URL = URLValidator(schemes=["http", "https"])


def web_url(value: str) -> str:
    """`value` if it is an http(s) URL, else ""."""
    try:
        _WEB_URL(value)
    except ValidationError:
        return ""
    return value


# What a register's timetable notice does to the statutory clock (Document.clock_action).
CLOCK_STOP = "stop"
CLOCK_RESTART = "restart"
CLOCK_EXTEND = "extend"


class ParseError(ValueError):
    """A registry item that does not have the documented shape; the message says what is wrong."""


@dataclass(frozen=True)
class ListEntry:
    """One line of a registry's list: enough to decide whether the item must be fetched."""

    source_id: str
    url: str
    fingerprint: str
    followed: bool = True  # False for kinds the tracker does not follow (non-merger cases)
    payload: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Document:
    occurred_on: datetime.date
    title: str
    url: str
    body: str = ""
    is_decision: bool = False
    # A timetable notice: what it does to the statutory clock ("stop", "restart", "extend";
    # "" for any other entry), the extension's length in the rule's unit, and why.
    clock_action: str = ""
    clock_length: int = 0
    clock_reason: str = ""

    def __post_init__(self):
        object.__setattr__(self, "url", web_url(self.url))  # frozen: set once, here


@dataclass(frozen=True)
class PartySide:
    """One side of a deal as a title names it: "Alphabet Inc. (Google LLC)" is one side, two names."""

    names: tuple[str, ...]


@dataclass
class CaseRecord:
    """A regulator's proceeding as its register shows it."""

    source: str
    source_id: str
    url: str  # http(s) only, else "" (see __post_init__)
    regulator: str
    title: str
    deal_title: str
    deal_type: str
    sides: list[PartySide]
    status: str | None  # None: the register's outcome needs an editor
    outcome: str
    outcome_wording: str
    registry_state: str
    registry_outcome: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    phase_2_on: datetime.date | None = None
    # The register says the case went to phase 2 (also when it has closed since).
    reached_phase_2: bool = False
    # The status a case opens in: phase 1, or "" for a matter with no review phase (an
    # application for a waiver goes straight to its outcome). A case the register shows
    # before phase 1 (a referral request, pre-notification) opens in that status.
    opens_in: str = "phase_1"
    published_deadline: datetime.date | None = None
    documents: list[Document] = field(default_factory=list)
    currency: str = ""  # a new deal's currency (ISO 4217), "" when the register does not say
    reference: str = ""  # the regulator's case number (M.11766, MN-01016), "" when none
    sector: str = ""  # a new deal's sector as the register names it (NACE, ANZSIC), "" when none

    record_type: ClassVar[str] = "case"

    def __post_init__(self):
        self.url = web_url(self.url)

    def as_json(self) -> dict:
        return {"type": self.record_type, **_jsonable(asdict(self))}

    @classmethod
    def from_json(cls, data: dict) -> CaseRecord:
        values = {k: v for k, v in data.items() if k != "type"}
        for name in ("opened_on", "closed_on", "phase_2_on", "published_deadline"):
            values[name] = _date(values.get(name))
        values["sides"] = [PartySide(tuple(s["names"])) for s in values["sides"]]
        values["documents"] = _documents(values["documents"])
        return cls(**values)


@dataclass
class NoticeRecord:
    """A dated act that belongs on a proceeding's timeline: a formal notice, a press release,
    a docket entry. It is matched to its proceeding by the register's link, then by case
    reference or docket number (with the court, when given), then by the deal's parties."""

    source: str
    source_id: str
    url: str  # http(s) only, else "" (see __post_init__)
    regulator: str
    # What the act is, in the source's words (consent_order, tunney_act, complaint, ...):
    # two sources' notices of the same act on the same proceeding are one event.
    kind: str
    title: str
    abstract: str
    published_on: datetime.date
    sides: list[PartySide]
    event_kind: str = "filing"  # tracker.choices.EventKind
    source_type: str = "regulator"  # tracker.choices.SourceType: who published it
    source_title: str = ""  # how the event cites its source; the title when ""
    # Case references and docket numbers that name the proceeding, and the court's slug
    # for a docket number (a docket number is unique only within its court).
    references: list[str] = field(default_factory=list)
    court: str = ""
    # A proceeding made for the act when its deal is known and the regulator has none on
    # it (review_type: tracker.choices.ReviewType); False: only ever matched.
    may_open: bool = True
    review_type: str = "merger_control"
    # The status the act moves its proceeding to ("" for none), through the transition
    # service, as an editor would.
    moves_to: str = ""
    # An act sourced elsewhere: (title, url) of further documents, kept in the event's body.
    documents: list[Document] = field(default_factory=list)
    # The act is the past of a docket or register read for the first time: on the timeline,
    # never announced (Event.recorded_as_history).
    history: bool = False

    record_type: ClassVar[str] = "notice"

    def __post_init__(self):
        self.url = web_url(self.url)

    def as_json(self) -> dict:
        return {"type": self.record_type, **_jsonable(asdict(self))}

    @classmethod
    def from_json(cls, data: dict) -> NoticeRecord:
        values = {k: v for k, v in data.items() if k != "type"}
        values["published_on"] = _date(values["published_on"])
        values["sides"] = [PartySide(tuple(s["names"])) for s in values["sides"]]
        values["documents"] = _documents(values.get("documents", []))
        return cls(**values)


RECORD_TYPES: dict[str, type[CaseRecord] | type[NoticeRecord]] = {
    CaseRecord.record_type: CaseRecord,
    NoticeRecord.record_type: NoticeRecord,
}


def record_from_json(data: dict) -> CaseRecord | NoticeRecord:
    """A record as kept in a proposal, back as its dataclass (named by its "type")."""
    try:
        record_type = RECORD_TYPES[data["type"]]
    except KeyError:
        raise ParseError(f"type: not a record type ({data.get('type')!r})") from None
    return record_type.from_json(data)


def _documents(kept: list[dict]) -> list[Document]:
    return [Document(**{**d, "occurred_on": _date(d["occurred_on"])}) for d in kept]


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def _jsonable(value):
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value
