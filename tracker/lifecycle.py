"""The review status lifecycle: which statuses are open and which moves are allowed.

This table is the single source of truth; the transition service, the admin form and
the API all read it.
"""

from .choices import ReviewStatus as S

OPEN_STATUSES = frozenset({S.MONITORING, S.PRE_NOTIFICATION, S.PHASE_1, S.PHASE_2, S.REMEDIES, S.LITIGATION})
CLOSED_STATUSES = frozenset({S.CLEARED, S.CLEARED_WITH_CONDITIONS, S.PROHIBITED, S.ABANDONED, S.CLOSED})

# Any open review can be abandoned by the parties or closed without a decision.
_ENDINGS = {S.ABANDONED, S.CLOSED}

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.MONITORING: frozenset({S.PRE_NOTIFICATION, S.PHASE_1, S.PHASE_2, S.LITIGATION} | _ENDINGS),
    S.PRE_NOTIFICATION: frozenset({S.MONITORING, S.PHASE_1} | _ENDINGS),
    S.PHASE_1: frozenset({S.PHASE_2, S.REMEDIES, S.LITIGATION, S.CLEARED, S.CLEARED_WITH_CONDITIONS} | _ENDINGS),
    S.PHASE_2: frozenset(
        {S.REMEDIES, S.LITIGATION, S.CLEARED, S.CLEARED_WITH_CONDITIONS, S.PROHIBITED} | _ENDINGS
    ),
    # Remedies offered in phase 1 that fail send the case to phase 2.
    S.REMEDIES: frozenset({S.PHASE_2, S.LITIGATION, S.CLEARED_WITH_CONDITIONS, S.PROHIBITED} | _ENDINGS),
    # A court case ends in a judgment, a settlement (consent decree) or the deal's end.
    S.LITIGATION: frozenset({S.REMEDIES, S.CLEARED, S.CLEARED_WITH_CONDITIONS, S.PROHIBITED} | _ENDINGS),
    # Closed reviews reopen only through a court challenge (appeal, annulment action).
    S.CLEARED: frozenset({S.LITIGATION}),
    S.CLEARED_WITH_CONDITIONS: frozenset({S.LITIGATION}),
    S.PROHIBITED: frozenset({S.LITIGATION}),
    S.ABANDONED: frozenset(),
    # A market study or "not qualifying" finding can be revisited when facts change.
    S.CLOSED: frozenset({S.MONITORING, S.LITIGATION}),
}


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def allowed_targets(status: str) -> frozenset[str]:
    return ALLOWED_TRANSITIONS.get(status, frozenset())


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in allowed_targets(from_status)
