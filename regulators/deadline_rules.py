"""Statutory review periods per regulator and phase, as data.

The rules are law, not editorial content: they change when a statute does, and each
change should come with a test against a published case. So they live here, reviewed
like code, rather than in a table that editors could change in the admin. Each rule
cites its legal basis. The counting itself is in deadlines.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from .choices import Calendar, DayOne, DeadlinePhase, DeadlineUnit


@dataclass(frozen=True)
class Variant:
    """A case type for which the statute sets another length (cash tender, commitments...)."""

    name: str
    length: int
    description: str
    legal_basis: str


@dataclass(frozen=True)
class DeadlineRule:
    regulator: str  # Regulator.slug
    phase: str  # DeadlinePhase
    title: str
    length: int
    unit: str  # DeadlineUnit
    calendar: str  # Calendar: the days that are not working or business days
    day_one: str  # DayOne
    started_by: str  # the act whose date is the start date ("launch notice")
    legal_basis: str
    source_url: str
    # Where a period would end on a non-working day, run on to the next working day.
    roll_forward: bool = False
    variants: Mapping[str, Variant] = field(default_factory=dict)
    # Extensions, in the rule's own unit: the total allowed and how many grants.
    max_extension: int = 0
    max_extension_grants: int | None = None
    extension_basis: str = ""
    clock_stops: bool = True
    clock_stop_basis: str = ""
    # False where the period starts with a later act than entering the phase
    # (an HSR second request runs from substantial compliance, not from its issue).
    starts_on_phase_entry: bool = True

    @property
    def unit_label(self) -> str:
        return DeadlineUnit(self.unit).label

    def length_for(self, variant: str | None) -> int:
        return self.variants[variant].length if variant else self.length


def _variants(*variants: Variant) -> Mapping[str, Variant]:
    return MappingProxyType({v.name: v for v in variants})


CMA_PHASE_1 = DeadlineRule(
    regulator="cma",
    phase=DeadlinePhase.PHASE_1,
    title="Phase 1",
    length=40,
    unit=DeadlineUnit.WORKING_DAYS,
    calendar=Calendar.ENGLAND_WALES,
    day_one=DayOne.NEXT_WORKING_DAY,
    started_by="launch notice",
    legal_basis=(
        "Enterprise Act 2002 s.34ZA(3): 40 working days beginning with the first working day after the day "
        "the CMA tells the parties it has enough information; working days exclude weekends and bank "
        "holidays in England and Wales"
    ),
    source_url="https://www.legislation.gov.uk/ukpga/2002/40/section/34ZA",
    clock_stop_basis="Enterprise Act 2002 s.34ZB: the period is extended while a party fails to comply with a s.109 notice",
)

CMA_PHASE_2 = DeadlineRule(
    regulator="cma",
    phase=DeadlinePhase.PHASE_2,
    title="Phase 2",
    length=24,
    unit=DeadlineUnit.WEEKS,
    calendar=Calendar.ENGLAND_WALES,
    # "The period of 24 weeks beginning with the date of the reference": that day is day 1.
    day_one=DayOne.SAME_DAY,
    started_by="phase 2 reference",
    legal_basis="Enterprise Act 2002 s.38(1), s.39(1): report within 24 weeks beginning with the date of the reference",
    source_url="https://www.legislation.gov.uk/ukpga/2002/40/section/39",
    max_extension=8,
    max_extension_grants=1,
    extension_basis="Enterprise Act 2002 s.39(3): one extension of up to 8 weeks for special reasons",
    clock_stop_basis="Enterprise Act 2002 s.39(4): extension while a party fails to comply with a s.109 notice",
)

EC_PHASE_1 = DeadlineRule(
    regulator="ec",
    phase=DeadlinePhase.PHASE_1,
    title="Phase 1",
    length=25,
    unit=DeadlineUnit.WORKING_DAYS,
    calendar=Calendar.EU_COMMISSION,
    day_one=DayOne.NEXT_WORKING_DAY,
    started_by="notification",
    legal_basis=(
        "Council Regulation (EC) No 139/2004 Art. 10(1): 25 working days from the working day following "
        "receipt of the notification; periods counted under Implementing Regulation (EU) 2023/914, "
        "working days excluding the Commission's holidays"
    ),
    source_url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32004R0139",
    variants=_variants(
        Variant(
            "commitments",
            35,
            "commitments offered by the parties",
            "Regulation 139/2004 Art. 10(1) second subparagraph, with Art. 6(2)",
        ),
        Variant(
            "referral_request",
            35,
            "a Member State requests a referral",
            "Regulation 139/2004 Art. 10(1) second subparagraph, with Art. 9(2)",
        ),
    ),
    clock_stop_basis="Regulation 139/2004 Art. 10(4): suspension where the Commission has to request information by decision",
)

EC_PHASE_2 = DeadlineRule(
    regulator="ec",
    phase=DeadlinePhase.PHASE_2,
    title="Phase 2",
    length=90,
    unit=DeadlineUnit.WORKING_DAYS,
    calendar=Calendar.EU_COMMISSION,
    day_one=DayOne.NEXT_WORKING_DAY,
    started_by="decision opening proceedings",
    legal_basis=(
        "Council Regulation (EC) No 139/2004 Art. 10(3): 90 working days from the opening of proceedings, "
        "counted from the following working day under Implementing Regulation (EU) 2023/914"
    ),
    source_url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32004R0139",
    variants=_variants(
        Variant(
            "commitments",
            105,
            "commitments offered 55 working days or more after the opening (+15 working days)",
            "Regulation 139/2004 Art. 10(3) first subparagraph, with Art. 8(2)",
        ),
    ),
    max_extension=20,
    extension_basis=(
        "Regulation 139/2004 Art. 10(3) second subparagraph: extensions at the parties' request or with "
        "their agreement, 20 working days at most in total"
    ),
    clock_stop_basis="Regulation 139/2004 Art. 10(4): suspension where the Commission has to request information by decision",
)


def _hsr_rules(regulator: str) -> tuple[DeadlineRule, DeadlineRule]:
    common = dict(
        regulator=regulator,
        unit=DeadlineUnit.CALENDAR_DAYS,
        calendar=Calendar.US_FEDERAL,
        day_one=DayOne.NEXT_DAY,
        roll_forward=True,
        clock_stops=False,
        clock_stop_basis="An HSR waiting period cannot be suspended; a pull-and-refile starts a new one.",
        source_url="https://www.ecfr.gov/current/title-16/chapter-I/subchapter-H/part-803/section-803.10",
    )
    initial = DeadlineRule(
        phase=DeadlinePhase.HSR_INITIAL,
        title="HSR waiting period",
        length=30,
        started_by="HSR filing",
        legal_basis=(
            "15 U.S.C. 18a(b)(1) and 16 CFR 803.10: 30 days from filing; a period ending on a Saturday, "
            "Sunday or legal public holiday (5 U.S.C. 6103(a)) runs to the next regular business day"
        ),
        variants=_variants(
            Variant("cash_tender", 15, "cash tender offer", "15 U.S.C. 18a(b)(1)(B); 16 CFR 803.10(b)"),
            Variant("bankruptcy", 15, "sale under 11 U.S.C. 363(b)", "11 U.S.C. 363(b)(2); 16 CFR 803.10(b)"),
        ),
        **common,
    )
    second_request = DeadlineRule(
        phase=DeadlinePhase.HSR_SECOND_REQUEST,
        title="HSR second-request waiting period",
        length=30,
        started_by="substantial compliance with the second request",
        legal_basis=(
            "15 U.S.C. 18a(e)(2) and 16 CFR 803.10: 30 days after substantial compliance; rolled to the next "
            "regular business day like the initial period"
        ),
        variants=_variants(
            Variant("cash_tender", 10, "cash tender offer", "15 U.S.C. 18a(e)(2)"),
            Variant("bankruptcy", 10, "sale under 11 U.S.C. 363(b)", "11 U.S.C. 363(b)(2)(B)"),
        ),
        starts_on_phase_entry=False,
        **common,
    )
    return initial, second_request


RULES: Mapping[tuple[str, str], DeadlineRule] = MappingProxyType(
    {(rule.regulator, rule.phase): rule for rule in (CMA_PHASE_1, CMA_PHASE_2, EC_PHASE_1, EC_PHASE_2, *_hsr_rules("ftc"), *_hsr_rules("doj"))}
)

# Which rule a review's status puts the clock on, per regulator.
_HSR_PHASES = {"phase_1": DeadlinePhase.HSR_INITIAL, "phase_2": DeadlinePhase.HSR_SECOND_REQUEST}
_NUMBERED_PHASES = {"phase_1": DeadlinePhase.PHASE_1, "phase_2": DeadlinePhase.PHASE_2}
PHASE_FOR_STATUS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {"cma": _NUMBERED_PHASES, "ec": _NUMBERED_PHASES, "ftc": _HSR_PHASES, "doj": _HSR_PHASES}
)


class UnknownRule(LookupError):
    pass


def get_rule(regulator: str, phase: str) -> DeadlineRule:
    try:
        return RULES[(regulator, phase)]
    except KeyError:
        regulators = sorted({r for r, _ in RULES})
        if regulator not in regulators:
            raise UnknownRule(
                f"No deadline rules for regulator {regulator!r}; rules exist for {', '.join(regulators)}."
            ) from None
        phases = sorted(p for r, p in RULES if r == regulator)
        raise UnknownRule(
            f"No {regulator} rule for phase {phase!r}; {regulator} has {', '.join(phases)}."
        ) from None


def rule_for_status(regulator: str, status: str) -> DeadlineRule | None:
    """The rule whose clock runs while a review of this regulator is in `status`, if any."""
    phase = PHASE_FOR_STATUS.get(regulator, {}).get(status)
    return RULES.get((regulator, phase)) if phase else None
