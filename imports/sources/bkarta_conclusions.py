"""The Bundeskartellamt's conclusion wording ("Abschluss") on its list of merger control
proceedings, mapped onto our statuses and outcomes.

A proceeding opens with the receipt of the complete notification (phase 1, the
Vorprüfverfahren, GWB s.40(1)); the main examination (Hauptprüfverfahren, phase 2) is
opened by the letter telling the notifying undertakings so within that month (the
"Monatsbrief"). A prohibition, or a clearance with conditions or obligations, can only be
decided in the main examination (GWB s.40(2), (3)), so those conclusions say the case
went to phase 2. Wording a machine cannot place is absent: its cases go to an editor.

The procedure as the Bundeskartellamt describes it:
https://www.bundeskartellamt.de/EN/Tasks/Merger_control/Merger_proceedings/merger_proceedings_node.html
(one month for the first phase, a formal in-depth second phase of up to five months from
notification in all, ended by a formal decision: clearance, clearance with conditions and
obligations, or prohibition); the law: https://www.gesetze-im-internet.de/gwb/__40.html.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from tracker.choices import Outcome
from tracker.choices import ReviewStatus as S


class Conclusion(NamedTuple):
    status: str
    outcome: str  # "" while the proceeding goes on
    reached_phase_2: bool


# Still open: no conclusion yet.
OPEN = Conclusion(S.PHASE_1, "", False)
MAIN_EXAMINATION = Conclusion(S.PHASE_2, "", True)

# Checked in order: the first wording the conclusion starts with decides.
CONCLUSIONS: tuple[tuple[str, Conclusion], ...] = (
    ("hauptprüfverfahren eingeleitet", MAIN_EXAMINATION),
    ("monatsbrief", MAIN_EXAMINATION),
    ("freigabe nach hauptprüfverfahren", Conclusion(S.CLEARED, Outcome.CLEARED, True)),
    # GWB s.40(3): conditions or obligations attached to a phase 2 clearance.
    (
        "freigabe mit nebenbestimmungen",
        Conclusion(S.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES, True),
    ),
    (
        "freigabe unter nebenbestimmungen",
        Conclusion(S.CLEARED_WITH_CONDITIONS, Outcome.CLEARED_WITH_REMEDIES, True),
    ),
    # The informal phase 1 clearance letter (GWB s.40(1)).
    ("freigabe", Conclusion(S.CLEARED, Outcome.CLEARED, False)),
    ("untersagung", Conclusion(S.PROHIBITED, Outcome.PROHIBITED, True)),
    # The notification is withdrawn: the parties no longer pursue the deal as notified.
    ("rücknahme", Conclusion(S.ABANDONED, Outcome.ABANDONED, False)),
    ("hauptprüfverfahren", MAIN_EXAMINATION),
)

_NO_CONCLUSION = {"", "-", "–", "—"}


def _plain(wording: str) -> str:
    return re.sub(r"\s+", " ", wording).strip().lower()


def conclusion_of(wording: str) -> Conclusion | None:
    """Our status for the list's conclusion; OPEN when it has none yet, None when an editor
    must decide."""
    plain = _plain(wording)
    if plain in _NO_CONCLUSION:
        return OPEN
    for start, conclusion in CONCLUSIONS:
        if plain.startswith(start):
            return conclusion
    return None
