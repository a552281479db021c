"""The proceeding lifecycle: which statuses are open, which moves are allowed, and which
outcomes each closing status can carry.

These tables are the single source of truth; the transition service, the admin form and
the API all read them.
"""

from .choices import Outcome as O
from .choices import ReviewStatus as S

OPEN_STATUSES = frozenset(
    {
        S.MONITORING,
        S.PRELIMINARY_INQUIRY,
        S.PRE_NOTIFICATION,
        S.REFERRAL,
        S.PHASE_1,
        S.PHASE_2,
        S.REMEDIES,
        S.LITIGATION,
        S.APPEAL,
    }
)
CLOSED_STATUSES = frozenset(
    {S.CLEARED, S.CLEARED_WITH_CONDITIONS, S.PROHIBITED, S.ABANDONED, S.CLOSED}
)

# Any open proceeding can be abandoned by the parties or closed without a decision.
_ENDINGS = {S.ABANDONED, S.CLOSED}
_DECISIONS = {S.CLEARED, S.CLEARED_WITH_CONDITIONS, S.PROHIBITED}

# A move into one of these records what the regulator or court decided (a clearance, a
# prohibition, a finding of no jurisdiction, a study's report, a judgment): the status change
# is itself a decision, found and followed as one. Abandonment is the parties' act.
DECISION_STATUSES = frozenset(CLOSED_STATUSES - {S.ABANDONED})

ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.MONITORING: frozenset(
        {S.PRELIMINARY_INQUIRY, S.PRE_NOTIFICATION, S.REFERRAL, S.PHASE_1, S.PHASE_2, S.LITIGATION}
        | _ENDINGS
    ),
    S.PRELIMINARY_INQUIRY: frozenset(
        {S.MONITORING, S.PRE_NOTIFICATION, S.REFERRAL, S.PHASE_1, S.PHASE_2, S.LITIGATION}
        | _ENDINGS
    ),
    # EUMR Art. 4(5) and 4(4): the parties ask for a referral before notifying.
    S.PRE_NOTIFICATION: frozenset({S.MONITORING, S.REFERRAL, S.PHASE_1} | _ENDINGS),
    # A referral decided: the case is notified to the receiving authority and runs a normal
    # phase 1 (an Art. 22 referral too: the Commission opens phase 2 only from phase 1,
    # Art. 6(1)(c) EUMR), or it is refused.
    S.REFERRAL: frozenset({S.PRE_NOTIFICATION, S.PHASE_1} | _ENDINGS),
    # EUMR Art. 9: a Member State asks for a notified case during phase 1.
    S.PHASE_1: frozenset({S.REFERRAL, S.PHASE_2, S.REMEDIES, S.LITIGATION} | _DECISIONS | _ENDINGS),
    S.PHASE_2: frozenset({S.REMEDIES, S.LITIGATION} | _DECISIONS | _ENDINGS),
    # Remedies after phase 1 (CMA undertakings in lieu, Enterprise Act 2002 s.73) that
    # fail send the case to phase 2; remedies after phase 2 end in a decision.
    S.REMEDIES: frozenset({S.PHASE_2, S.LITIGATION} | _DECISIONS | _ENDINGS),
    # A court case ends in a judgment, a settlement (consent decree) or the deal's end; a
    # remedies phase follows a finding of liability.
    S.LITIGATION: frozenset({S.REMEDIES, S.APPEAL} | _DECISIONS | _ENDINGS),
    # An appeal upholds the decision, annuls it (closed: no jurisdiction, or cleared), or
    # sends the case back: to phase 2 (a remittal, Enterprise Act 2002 s.120(5)(b)) or to
    # the trial court (a remand).
    S.APPEAL: frozenset({S.PHASE_2, S.LITIGATION, S.REMEDIES} | _DECISIONS | _ENDINGS),
    # A decision can be appealed; a clearance can be reopened (EUMR Art. 6(3) and 8(6):
    # revoked when based on incorrect information; the CMA reopens on a material change).
    S.CLEARED: frozenset({S.APPEAL, S.LITIGATION, S.PHASE_1, S.PHASE_2}),
    S.CLEARED_WITH_CONDITIONS: frozenset({S.APPEAL, S.LITIGATION, S.PHASE_1, S.PHASE_2}),
    S.PROHIBITED: frozenset({S.APPEAL, S.LITIGATION}),
    # Parties that revive an abandoned deal are usually a new case; reopening is allowed for
    # the rare case the authority continues the same file.
    S.ABANDONED: frozenset({S.MONITORING, S.PHASE_1}),
    # A market study or "not qualifying" finding can be revisited when facts change, and a
    # judgment can be appealed.
    S.CLOSED: frozenset({S.MONITORING, S.PHASE_1, S.LITIGATION, S.APPEAL}),
}

# The outcomes a closing status can carry; the first is the one assumed when none is given.
OUTCOMES_BY_STATUS: dict[str, tuple[str, ...]] = {
    S.CLEARED: (O.CLEARED, O.JUDGMENT),
    S.CLEARED_WITH_CONDITIONS: (O.CLEARED_WITH_REMEDIES, O.SETTLED, O.JUDGMENT),
    S.PROHIBITED: (O.PROHIBITED, O.JUDGMENT),
    S.ABANDONED: (O.ABANDONED,),
    S.CLOSED: (
        O.NOT_QUALIFYING,
        O.REFERRED,
        O.STUDY_CONCLUDED,
        O.SETTLED,
        O.JUDGMENT,
        O.NO_ACTION,
        O.FINED,
        O.CLEARED,
        O.PROHIBITED,
    ),
}

# Open statuses where the last decision still stands (under appeal) keep its outcome; any
# other open status clears it: the case is being decided again.
KEEPS_OUTCOME = frozenset({S.APPEAL})

# Before any of these a proceeding is informal (monitoring, a preliminary inquiry, the
# parties' pre-notification talks): entering one is its formal opening.
FORMAL_STATUSES = OPEN_STATUSES - {S.MONITORING, S.PRELIMINARY_INQUIRY, S.PRE_NOTIFICATION}


def is_open(status: str) -> bool:
    return status in OPEN_STATUSES


def allowed_targets(status: str) -> frozenset[str]:
    return ALLOWED_TRANSITIONS.get(status, frozenset())


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in allowed_targets(from_status)


def allowed_outcomes(status: str) -> tuple[str, ...]:
    return OUTCOMES_BY_STATUS.get(status, ())


def default_outcome(status: str) -> str:
    """The outcome a move into `status` implies when none is named; "" where it is not obvious."""
    outcomes = allowed_outcomes(status)
    return outcomes[0] if len(outcomes) and status != S.CLOSED else ""
