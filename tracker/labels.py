"""What a proceeding's status says to a reader: one label, computed here for every page,
feed, notice, export and the admin.

A proceeding closed without a decision on the merits ("closed") ended some way that its
outcome tells: the CMA found the deal did not qualify, the FTC published its study, a
court entered judgment. Its label says which; "Closed (no decision)" is left only for a
closed proceeding whose outcome nobody has recorded.
"""

from __future__ import annotations

from .choices import DealRole, Outcome, ReviewStatus

# How a closed proceeding ended, in the words of its label ("Closed: ...").
CLOSED_AS = {
    Outcome.CLEARED: "cleared",
    Outcome.CLEARED_WITH_REMEDIES: "cleared with remedies",
    Outcome.PROHIBITED: "prohibited",
    Outcome.ABANDONED: "abandoned",
    Outcome.NOT_QUALIFYING: "not qualifying",
    Outcome.REFERRED: "referred",
    Outcome.STUDY_CONCLUDED: "study concluded",
    Outcome.SETTLED: "settled",
    Outcome.JUDGMENT: "judgment",
    Outcome.NO_ACTION: "no action",
    Outcome.FINED: "fined",
}


def status_label(status: str | None, outcome: str | None = "") -> str:
    """The reader's label of a status, with the outcome that says how a closed proceeding
    ended: ("closed", "not_qualifying") -> "Closed: not qualifying"; an open or decided
    status keeps its own label ("Phase 2", "Cleared"); no status gives ""."""
    if not status:
        return ""
    if status == ReviewStatus.CLOSED and outcome in CLOSED_AS:
        return f"Closed: {CLOSED_AS[Outcome(outcome)]}"
    return ReviewStatus(status).label


def event_status_label(status: str | None, review) -> str:
    """The label of a status an event moved from or to: a closed one says the outcome its
    proceeding recorded (kept while a judgment is under appeal)."""
    return status_label(status, review.outcome if review is not None else "")


# What a proceeding that does not review a deal is to it, in a reader's words.
_ROLE_WORDS: dict[str, str] = {
    DealRole.COVERS: "covers",
    DealRole.REACHES: "reaches",
    DealRole.RELATED: "is related to",
}


def role_phrase(role: str, deal_title: str) -> str:
    """'reaches Alphabet (Google) / Anthropic'; '' for a proceeding that reviews the deal."""
    words = _ROLE_WORDS.get(role)
    return f"{words} {deal_title}" if words else ""
