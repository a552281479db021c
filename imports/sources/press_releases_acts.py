"""What a DOJ or FTC press release announces, read from its words: the act (a suit to block
a deal, a monopolisation suit, a second request, a proposed consent, an abandoned deal), the
parties its title names, and the docket and matter numbers its text cites. Pure functions:
no database, no HTTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.choices import EventKind, ReviewStatus, ReviewType

from ..matching import LEGAL_SUFFIXES
from ..records import PartySide


@dataclass(frozen=True)
class Act:
    """One kind of act a release announces, and what it does to the proceeding."""

    kind: str  # the name two sources share for the same act (see federal_register.py)
    event_kind: str
    moves_to: str  # "" when the act moves nothing
    review_type: str
    may_open: bool = True


SUIT_TO_BLOCK = Act(
    "suit_to_block", EventKind.COMPLAINT, ReviewStatus.LITIGATION, ReviewType.LITIGATION
)
MONOPOLISATION_SUIT = Act(
    "monopolization_suit", EventKind.COMPLAINT, ReviewStatus.LITIGATION, ReviewType.LITIGATION
)
SECOND_REQUEST = Act(
    "second_request", EventKind.FILING, ReviewStatus.PHASE_2, ReviewType.MERGER_CONTROL
)
# The FTC's proposed consent and the DOJ's proposed final judgment: the Federal Register's
# notices of the same acts are called so too, and the applier makes the two one event.
CONSENT_ORDER = Act(
    "consent_order", EventKind.FILING, ReviewStatus.REMEDIES, ReviewType.MERGER_CONTROL
)
TUNNEY_ACT = Act("tunney_act", EventKind.FILING, ReviewStatus.REMEDIES, ReviewType.LITIGATION)
ABANDONED = Act("abandoned", EventKind.STATEMENT, ReviewStatus.ABANDONED, ReviewType.MERGER_CONTROL)
# A study of an industry: it names no one deal, so it is only ever matched.
STUDY = Act(
    "6b_study",
    EventKind.FILING,
    ReviewStatus.PRELIMINARY_INQUIRY,
    ReviewType.MARKET_STUDY,
    may_open=False,
)
# A court's or the Commission's decision as a release tells it: the decision itself is
# recorded from the court's or the Commission's own record, so the release moves nothing.
DECISION_TOLD = Act("decision_told", EventKind.STATEMENT, "", ReviewType.LITIGATION, may_open=False)

ACTS = (
    SUIT_TO_BLOCK,
    MONOPOLISATION_SUIT,
    SECOND_REQUEST,
    CONSENT_ORDER,
    TUNNEY_ACT,
    ABANDONED,
    STUDY,
    DECISION_TOLD,
)
ACTS_BY_KIND = {act.kind: act for act in ACTS}

_DEAL = r"(?:acquisition|merger|purchase|deal|transaction|combination)"
_SUIT_TO_BLOCK = re.compile(
    rf"\b(?:sues?|seeks?|moves?|files?\b.*\bsuit|lawsuit|challenges?)\b.*\b(?:to\s+)?(?:block|stop|prevent|unwind)\b"
    rf"|\bchalleng\w*\b.*\b{_DEAL}\b",
    re.I,
)
_MONOPOLISATION = re.compile(
    r"\b(?:sues?|lawsuit|suit|complaint)\b.*\bmonopol|\bmonopolist\b.*\b(?:sues?|suit)\b"
    r"|\bsues?\s+(?:monopolist\s+)?\S+.*\bantitrust\s+laws\b",
    re.I,
)
_SECOND_REQUEST = re.compile(r"\bsecond\s+requests?\b", re.I)
_CONSENT = re.compile(
    rf"\bconsent\s+(?:order|agreement|decree)\b|\brequires?\b.*\bdivest|\bsettlement\b.*\b{_DEAL}\b",
    re.I,
)
_ABANDONED = re.compile(r"\babandon(?:s|ed|ment)?\b|\bcall(?:s|ed)?\s+off\b", re.I)
_STUDY = re.compile(r"\b6\(b\)|\blaunch(?:es|ed)?\s+(?:an?\s+)?inquiry\b", re.I)
_DECISION = re.compile(
    r"\b(?:wins|court\s+(?:rules|finds|orders)|judge\s+(?:rules|finds)|orders?\b.*\bdivest)", re.I
)


def act_of(title: str, *, regulator: str) -> Act | None:
    """The act the release's title announces, None for a release the tracker does not follow
    (a criminal plea, a staff report, guidance). The DOJ's settlements are Tunney Act
    judgments, the FTC's consent orders."""
    if _ABANDONED.search(title):
        return ABANDONED
    if _STUDY.search(title):
        return STUDY
    if _DECISION.search(title):
        return DECISION_TOLD
    if _CONSENT.search(title):
        return TUNNEY_ACT if regulator == "doj" else CONSENT_ORDER
    if _SECOND_REQUEST.search(title):
        return SECOND_REQUEST
    if _SUIT_TO_BLOCK.search(title):
        return SUIT_TO_BLOCK
    if _MONOPOLISATION.search(title):
        return MONOPOLISATION_SUIT
    return None


# --- parties -------------------------------------------------------------------------------

# "... Block Microsoft Corp.'s Acquisition of Activision Blizzard, Inc." -> the buyer is the
# name that ends before "'s", the target what follows "Acquisition of".
_POSSESSIVE_DEAL = re.compile(
    rf"['\u2019]s?\s+(?i:(?:proposed\s+|planned\s+|\$[\d.]+\s+\w+\s+)?{_DEAL}\s+of\s+)(?P<target>.+?)"
    r"(?i:\s+(?:to\s+protect|to\s+preserve|to\s+prevent|over|in\s+order|after|amid|because)\b.*)?$",
)
# "FTC Orders Illumina to Divest Cancer Detection Test Maker GRAIL ..."
_DIVEST = re.compile(
    r"(?i:\borders?\s+)(?P<buyer>[A-Z][\w&.,\- ]*?)(?i:\s+to\s+divest\s+)(?P<target>.+?)"
    r"(?i:\s+(?:to\s+protect|to\s+preserve|to\s+restore|in\s+order)\b.*)?$"
)
# "Microsoft / Activision", "In the Matter of Microsoft Corp. / Activision Blizzard, Inc."
_SLASHED = re.compile(r"(?P<a>[A-Z][\w&.,\- ]*?)\s*/\s*(?P<b>[A-Z][\w&.,\- ]*?)(?:[;:(]|$)")
# "United States v. Google LLC", "FTC v. Microsoft Corp."
_CASE_NAME = re.compile(
    r"\b(?:United\s+States(?:\s+of\s+America)?|U\.S\.|FTC|Federal\s+Trade\s+Commission)"
    r"(?:,?\s+et\s+al\.?)?\s+v\.\s+(?P<party>[A-Z][\w&.\- ]*?(?:,\s*(?:Inc|LLC|Ltd|Corp|L\.P|N\.V|S\.A)\.?)?)"
    r"(?=[,;()]|\s+et\s+al|\s+No\.|\s+\(|\.\s|\s*$)",
)
# "Sues Monopolist Google For Violating Antitrust Laws" -> Google
_SUED = re.compile(
    r"(?i:\bsues?\s+(?:monopolist\s+)?)(?P<party>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*)*?)(?i:\s+(?:for|over|to)\b)"
)
# "Wins Significant Remedies Against Google" -> Google
_AGAINST = re.compile(r"(?i:\bagainst\s+)(?P<party>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*)*)\s*$")
# Descriptions a title puts before a name: "Rival Publisher Simon & Schuster".
_DESCRIPTION = re.compile(
    r"^.*\b(?:maker|rival|developer|provider|producer|manufacturer|operator|publisher|firm|"
    r"company|distributor|supplier|competitor|retailer|owner)\s+(?=[A-Z])",
    re.I,
)
# Title-case words a headline puts before the buyer's name ("FTC Seeks to Block").
_NOT_A_NAME = frozenset(
    "ftc doj justice department commission federal trade antitrust division seeks seek sues sue "
    "block blocks stop challenges challenge files file lawsuit suit to of the in matter against "
    "requires clears approves orders statement on regarding".split()
)


def _name(text: str) -> str:
    name = _DESCRIPTION.sub("", text.strip(" ,.;:")).strip(" ,;:")
    return re.sub(r"\s+", " ", name)


def _trailing_name(text: str) -> str:
    """The name at the end of a headline's words: "FTC Seeks to Block Microsoft Corp." -> "Microsoft Corp."."""
    words = text.split()
    kept: list[str] = []
    for word in reversed(words):
        bare = word.lower().strip(",.")
        if bare in _NOT_A_NAME or not (
            word[:1].isupper() or word in ("&", "and") or bare in LEGAL_SUFFIXES
        ):
            break
        kept.insert(0, word)
    return _name(" ".join(kept))


def parties_in(title: str, text: str = "") -> list[PartySide]:
    """The sides the release names: the deal in its title ("X's Acquisition of Y", "X / Y",
    "Orders X to Divest Y"), else the case name in its title or text ("United States v.
    Google LLC"), else the one company a suit or a win is against."""
    deal = _POSSESSIVE_DEAL.search(title)
    if deal:
        names = [_trailing_name(title[: deal.start()]), _name(deal.group("target"))]
    elif match := _DIVEST.search(title):
        names = [_trailing_name(match.group("buyer")), _name(match.group("target"))]
    elif match := _SLASHED.search(title):
        names = [_trailing_name(match.group("a")), _name(match.group("b"))]
    else:
        names = []
    if len(names) == 2 and all(names):
        return [PartySide((n,)) for n in names]
    for source in (title, text):
        match = _CASE_NAME.search(source)
        if match and _name(match.group("party")):
            return [PartySide((_name(match.group("party")),))]
    for pattern in (_SUED, _AGAINST):
        match = pattern.search(title)
        if match and _name(match.group("party")):
            return [PartySide((_name(match.group("party")),))]
    return []


# --- references ----------------------------------------------------------------------------

# A federal district court's civil docket number: 1:20-cv-03010.
_DOCKET = re.compile(r"\b\d:\d{2}-(?:cv|mc)-\d{3,5}\b", re.I)
# An FTC administrative docket ("Docket No. 9412") and matter ("File No. 221-0151", "Matter No. 2210151").
_FTC_DOCKET = re.compile(r"\bDocket\s+No\.?\s*(?:D-)?(?P<number>9\d{3})\b", re.I)
_FTC_MATTER = re.compile(
    r"\b(?:File|Matter)\s+No\.?\s*(?P<number>\d{3})[-\s]?(?P<rest>\d{4})\b", re.I
)


def references_in(text: str) -> list[str]:
    """Docket numbers and FTC matter numbers in the text, as the tracker writes them
    (1:20-cv-03010, D-9412, 221-0151), each once, in order of appearance."""
    found = [m.group(0).lower() for m in _DOCKET.finditer(text)]
    found += [f"D-{m.group('number')}" for m in _FTC_DOCKET.finditer(text)]
    found += [f"{m.group('number')}-{m.group('rest')}" for m in _FTC_MATTER.finditer(text)]
    return list(dict.fromkeys(found))
