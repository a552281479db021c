"""The ACCC acquisitions register's vocabulary, mapped onto ours: the (status, outcome) a
matter takes from its type, acquisition status, stage and determination.

The values are those the register prints in its fields "Type" (Notification, Waiver),
"Acquisition status" (Under assessment, Assessment suspended, Assessment completed,
Assessment ceased), "Stage" (Phase 1 - initial assessment, Phase 2 - detailed assessment,
Public benefits, Waiver application) and "ACCC determination" (Approved, Approved with
conditions, Not approved), as on
https://www.accc.gov.au/public-registers/acquisitions-and-mergers-registers/acquisitions-register.
A combination a machine cannot place maps to None: its matter goes to an editor.
"""

from __future__ import annotations

from typing import NamedTuple

from tracker.choices import Outcome
from tracker.choices import ReviewStatus as S

NOTIFICATION, WAIVER = "Notification", "Waiver"
UNDER_ASSESSMENT = "Under assessment"
SUSPENDED = "Assessment suspended"
COMPLETED = "Assessment completed"
CEASED = "Assessment ceased"
STATUSES = frozenset({UNDER_ASSESSMENT, SUSPENDED, COMPLETED, CEASED})
OPEN_STATUSES = frozenset({UNDER_ASSESSMENT, SUSPENDED})

PHASE_1_STAGE = "phase 1"
PHASE_2_STAGE = "phase 2"


class Mapped(NamedTuple):
    status: str | None  # None: an editor decides
    outcome: str  # "" while the matter goes on


# A notified acquisition's determination (Competition and Consumer Act 2010 s 51ABZE,
# s 51ABZJ): approved, approved subject to conditions, or not approved.
DETERMINATIONS: dict[str, Mapped] = {
    "approved": Mapped(S.CLEARED, Outcome.CLEARED),
    "approved with conditions": Mapped(S.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES),
    "not approved": Mapped(S.PROHIBITED, Outcome.PROHIBITED),
}

# A notification waiver frees an acquisition from the duty to notify (s 51ABX): the ACCC
# gives no clearance, the acquisition simply need not be reviewed, so a granted waiver
# closes as "not qualifying". A refused one closes the waiver matter with no outcome for
# the deal: the parties must notify, and that notification is a matter of its own (MN-).
WAIVERS: dict[str, Mapped] = {
    "approved": Mapped(S.CLOSED, Outcome.NOT_QUALIFYING),
    "not approved": Mapped(S.CLOSED, ""),
}


def stage_phase(stage: str) -> str:
    """ "phase 1", "phase 2", or "" for any other stage (public benefits, a waiver)."""
    lowered = stage.lower()
    for phase in (PHASE_1_STAGE, PHASE_2_STAGE):
        if lowered.startswith(phase):
            return phase
    return ""


def from_register(kind: str, status: str, stage: str, determination: str) -> Mapped:
    """Our status and outcome for a matter as the register shows it."""
    decided = determination.strip().lower()
    if kind == WAIVER:
        if status == COMPLETED:
            return WAIVERS.get(decided, Mapped(None, ""))
        return Mapped(None, "")  # the register lists waivers once decided
    if status in OPEN_STATUSES:
        phase = stage_phase(stage)
        # A public benefits application follows a refusal; the tracker has no stage for it.
        return Mapped({PHASE_1_STAGE: S.PHASE_1, PHASE_2_STAGE: S.PHASE_2}.get(phase), "")
    if status == CEASED:
        # Consideration ceases when the notifying party withdraws, or lets the phase 2
        # fee go unpaid: either way the parties gave the notified acquisition up.
        return Mapped(S.ABANDONED, Outcome.ABANDONED)
    return DETERMINATIONS.get(decided, Mapped(None, ""))
