"""Where a Commission merger case stands, from the types of its decisions.

The register has no phase field. Its decision types are the articles of the Merger
Regulation (139/2004) the decision was taken under, labelled "Art. 6(1)(b)", "Art. 6(1)(b)
with conditions & obligations", "Art. 8(2)" and so on:

- Art. 6(1)(a): not a concentration, or without an EU dimension -> closed, not qualifying;
- Art. 6(1)(b): cleared in phase 1; with conditions (Art. 6(2)) -> cleared with remedies;
- Art. 6(1)(c): phase 2 opened;
- Art. 8(1): cleared after phase 2; Art. 8(2): cleared with commitments; Art. 8(3): prohibited;
- Art. 4(4) and Art. 9(3) (the whole case to a Member State) -> closed, referred;
- Art. 4(5) and Art. 22(3) (a case referred to the Commission) -> a referral, open until
  the deal is notified;
- a withdrawn notification -> abandoned; Art. 14 -> closed with a fine;
- acts that decide nothing about the deal (Art. 7(3) derogations, Art. 8(4) and 8(5)
  measures, partial referrals) leave the standing as it is.

A type none of these describes gives no status when it is the case's latest decision: the
applier asks an editor.
"""

from __future__ import annotations

import datetime
import enum
import re
from dataclasses import dataclass

from tracker.choices import Outcome, ReviewStatus


class Act(enum.Enum):
    OUT_OF_SCOPE = "out_of_scope"
    CLEARED = "cleared"
    CLEARED_WITH_REMEDIES = "cleared_with_remedies"
    PHASE_2_OPENED = "phase_2_opened"
    PROHIBITED = "prohibited"
    REFERRED_AWAY = "referred_away"
    REFERRED_IN = "referred_in"
    WITHDRAWN = "withdrawn"
    FINED = "fined"
    NEUTRAL = "neutral"
    UNKNOWN = "unknown"


# A closing act: the status and outcome it gives the case.
CLOSING: dict[Act, tuple[ReviewStatus, Outcome]] = {
    Act.OUT_OF_SCOPE: (ReviewStatus.CLOSED, Outcome.NOT_QUALIFYING),
    Act.CLEARED: (ReviewStatus.CLEARED, Outcome.CLEARED),
    Act.CLEARED_WITH_REMEDIES: (
        ReviewStatus.CLEARED_WITH_CONDITIONS,
        Outcome.CLEARED_WITH_REMEDIES,
    ),
    Act.PROHIBITED: (ReviewStatus.PROHIBITED, Outcome.PROHIBITED),
    Act.REFERRED_AWAY: (ReviewStatus.CLOSED, Outcome.REFERRED),
    Act.WITHDRAWN: (ReviewStatus.ABANDONED, Outcome.ABANDONED),
    Act.FINED: (ReviewStatus.CLOSED, Outcome.FINED),
}

_CONDITIONS = re.compile(r"6\s*\(2\)|condition|commitment|obligation|undertaking", re.I)
_PARTIAL = re.compile(r"partial", re.I)


def _article(text: str, *numbers: str) -> bool:
    """`text` names the article, as "Art. 6(1)(b)", "Article 6 (1) (b)" or "6(1)b"."""
    compact = re.sub(r"\s+", "", text)
    for number in numbers:
        pattern = re.escape(number).replace(r"\)", r"\)?").replace(r"\(", r"\(?")
        if re.search(rf"(?<![\d(]){pattern}(?![\d])", compact):
            return True
    return False


def decision_act(kind: str) -> Act:
    """What a decision type does to the case; Act.UNKNOWN when it cannot be placed."""
    text = kind.strip()
    if not text:
        return Act.UNKNOWN
    if re.search(r"withdraw|abandon", text, re.I):
        return Act.WITHDRAWN
    if _article(text, "6(1)(c)"):
        return Act.PHASE_2_OPENED
    if _article(text, "6(1)(b)", "6(2)"):
        return Act.CLEARED_WITH_REMEDIES if _CONDITIONS.search(text) else Act.CLEARED
    if _article(text, "6(1)(a)"):
        return Act.OUT_OF_SCOPE
    if _article(text, "8(1)"):
        return Act.CLEARED
    if _article(text, "8(2)"):
        return Act.CLEARED_WITH_REMEDIES
    if _article(text, "8(3)"):
        return Act.PROHIBITED
    if _article(text, "8(4)", "8(5)", "7(3)"):
        return Act.NEUTRAL
    if _article(text, "9(3)", "4(4)", "9"):
        return Act.NEUTRAL if _PARTIAL.search(text) else Act.REFERRED_AWAY
    if _article(text, "4(5)", "22(3)", "22"):
        return Act.REFERRED_IN
    if _article(text, "14"):
        return Act.FINED
    return Act.UNKNOWN


@dataclass(frozen=True)
class Standing:
    status: str | None  # None: the latest decision is of a type this tracker cannot place
    outcome: str = ""
    wording: str = ""  # the deciding decision's type, in the register's words
    decided_on: datetime.date | None = None
    phase_2_on: datetime.date | None = None

    @property
    def closed(self) -> bool:
        return self.status is not None and self.status not in (
            ReviewStatus.PHASE_1,
            ReviewStatus.PHASE_2,
            ReviewStatus.REFERRAL,
            ReviewStatus.PRE_NOTIFICATION,
        )


def standing(acts: list[tuple[datetime.date, str, Act]], *, notified: bool) -> Standing:
    """The case's standing after its decisions, taken in the order they were adopted."""
    phase_2_on = None
    referred = False
    closing: tuple[datetime.date, str, Act] | None = None
    unknown: tuple[datetime.date, str] | None = None
    for adopted_on, kind, act in sorted(acts, key=lambda a: a[0]):
        if act == Act.NEUTRAL:
            continue
        unknown = (adopted_on, kind) if act == Act.UNKNOWN else None
        if act == Act.PHASE_2_OPENED:
            phase_2_on, closing = adopted_on, None
        elif act == Act.REFERRED_IN:
            referred = True
        elif act in CLOSING:
            closing = (adopted_on, kind, act)
    if unknown is not None:
        return Standing(None, wording=unknown[1], decided_on=unknown[0], phase_2_on=phase_2_on)
    if closing is not None:
        day, kind, act = closing
        status, outcome = CLOSING[act]
        return Standing(status, outcome, kind, day, phase_2_on)
    if phase_2_on is not None:
        return Standing(ReviewStatus.PHASE_2, phase_2_on=phase_2_on)
    if notified:
        return Standing(ReviewStatus.PHASE_1)
    return Standing(ReviewStatus.REFERRAL if referred else ReviewStatus.PRE_NOTIFICATION)
