"""Regulators' own outcome vocabularies, mapped onto ours: (status, outcome) a proceeding
takes when a register says it ended that way.

The CMA's `outcome_type` values are the allowed values of the `outcome_type` facet of the
GOV.UK finder for CMA cases (https://www.gov.uk/cma-cases, published as the finder's
content item, `details.facets`). Types a machine cannot place are absent: their cases go
to an editor.
"""

from __future__ import annotations

from typing import NamedTuple

from tracker.choices import Outcome
from tracker.choices import ReviewStatus as S


class Mapped(NamedTuple):
    status: str
    outcome: str  # "" while the proceeding goes on


CMA_OUTCOME_TYPES: dict[str, Mapped] = {
    "mergers-phase-1-clearance": Mapped(S.CLEARED, Outcome.CLEARED),
    # Enterprise Act 2002 s.73: undertakings accepted in lieu of a reference.
    "mergers-phase-1-clearance-with-undertakings-in-lieu": Mapped(
        S.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES
    ),
    # s.22/s.33: referred for a phase 2 investigation; the case goes on.
    "mergers-phase-1-referral": Mapped(S.PHASE_2, ""),
    # No relevant merger situation (s.23 thresholds not met): no jurisdiction.
    "mergers-phase-1-found-not-to-qualify": Mapped(S.CLOSED, Outcome.NOT_QUALIFYING),
    "mergers-phase-2-clearance": Mapped(S.CLEARED, Outcome.CLEARED),
    "mergers-phase-2-clearance-with-remedies": Mapped(
        S.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES
    ),
    "mergers-phase-2-prohibition": Mapped(S.PROHIBITED, Outcome.PROHIBITED),
    # s.37: the reference is cancelled when the parties abandon the deal.
    "mergers-phase-2-cancellation": Mapped(S.ABANDONED, Outcome.ABANDONED),
}


def from_cma_outcome_type(outcome_type: str) -> Mapped | None:
    """Our status and outcome for a CMA `outcome_type`; None when an editor must decide."""
    return CMA_OUTCOME_TYPES.get(outcome_type)
