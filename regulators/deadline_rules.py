"""Statutory review periods per regulator and phase, as data.

The rules are law, not editorial content: they change when a statute does, and each
change should come with a test against a published case. So they live here, reviewed
like code, rather than in a table that editors could change in the admin. Each rule
cites its legal basis. The counting itself is in deadlines.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .choices import Calendar, DayOne, DeadlinePhase, DeadlineUnit


@dataclass(frozen=True)
class Variant:
    """A case type for which the statute sets another length (cash tender, commitments...)."""

    name: str
    length: int
    description: str
    legal_basis: str
    # Where the variant's period runs from another act than the rule's own.
    started_by: str = ""


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
    # Extensions, in the rule's own unit: the total allowed and how many grants. None: the
    # statute allows extensions without a cap (the Bundeskartellamt with the parties' consent).
    max_extension: int | None = 0
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

    @property
    def longest(self) -> int | None:
        """The longest period the rule allows (its longest variant plus every extension), if capped."""
        if self.max_extension is None:
            return None
        return max([self.length, *(v.length for v in self.variants.values())]) + self.max_extension


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
    clock_stop_basis=(
        "Enterprise Act 2002 s.34ZB: the period is extended while a party fails to "
        "comply with a s.109 notice"
    ),
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
    clock_stop_basis=(
        "Regulation 139/2004 Art. 10(4): suspension where the Commission has to "
        "request information by decision"
    ),
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
            "Regulation 139/2004 Art. 10(3) first subparagraph, second sentence: the period is extended to 105 "
            "working days where commitments under Art. 8(2) are offered not less than 55 working days after "
            "proceedings are initiated; the extension is automatic",
        ),
    ),
    # The +15 is the variant (automatic); these 20 are the discretionary extensions, which apply
    # to either period: 90 + 20 = 110, or 105 + 20 = 125 working days at most (35 over 90).
    max_extension=20,
    extension_basis=(
        "Regulation 139/2004 Art. 10(3) second subparagraph: extensions at the notifying parties' request "
        "(made within 15 working days of the opening) or by the Commission with their agreement, "
        "20 working days at most in total"
    ),
    clock_stop_basis=(
        "Regulation 139/2004 Art. 10(4): suspension where the Commission has to "
        "request information by decision"
    ),
)


CMA_UIL_OFFER = DeadlineRule(
    regulator="cma",
    phase=DeadlinePhase.UIL_OFFER,
    title="Offer of undertakings in lieu",
    length=5,
    unit=DeadlineUnit.WORKING_DAYS,
    calendar=Calendar.ENGLAND_WALES,
    day_one=DayOne.NEXT_WORKING_DAY,
    started_by="notice of the phase 1 decision that the duty to refer applies (SLC decision)",
    legal_basis=(
        "Enterprise Act 2002 s.73A(1)-(2): the parties may offer undertakings in lieu of a reference within "
        "5 working days beginning with the first working day after the CMA gives notice of its decision under "
        "s.34ZA(1)(b) that it is under a duty to refer; if none is offered, the CMA refers"
    ),
    source_url="https://www.legislation.gov.uk/ukpga/2002/40/section/73A",
    clock_stops=False,
    clock_stop_basis="Enterprise Act 2002 s.73A sets the offer period with no extension or suspension",
)

CMA_UIL_ACCEPTANCE = DeadlineRule(
    regulator="cma",
    phase=DeadlinePhase.UIL_ACCEPTANCE,
    title="Decision on undertakings in lieu",
    length=50,
    unit=DeadlineUnit.WORKING_DAYS,
    calendar=Calendar.ENGLAND_WALES,
    # Counted, like the offer period, from the notice of the SLC decision, not from the offer.
    day_one=DayOne.NEXT_WORKING_DAY,
    started_by="notice of the phase 1 decision that the duty to refer applies (SLC decision)",
    legal_basis=(
        "Enterprise Act 2002 s.73A(3): the CMA decides whether to accept the undertakings offered within "
        "50 working days beginning with the first working day after it gave notice of the SLC decision; "
        "working days exclude weekends and bank holidays in England and Wales"
    ),
    source_url="https://www.legislation.gov.uk/ukpga/2002/40/section/73A",
    max_extension=40,
    max_extension_grants=1,
    extension_basis="Enterprise Act 2002 s.73A(4): one extension of up to 40 working days for special reasons",
    clock_stop_basis=(
        "Enterprise Act 2002 s.73A: the period is extended while a party fails to comply with a s.109 notice"
    ),
)


EC_REFERRAL = DeadlineRule(
    regulator="ec",
    phase=DeadlinePhase.REFERRAL,
    title="Article 22 referral",
    # 15 working days for the other Member States to join, then 10 for the Commission's decision.
    length=25,
    unit=DeadlineUnit.WORKING_DAYS,
    calendar=Calendar.EU_COMMISSION,
    day_one=DayOne.NEXT_WORKING_DAY,
    started_by="Commission informing the Member States of the referral request",
    legal_basis=(
        "Council Regulation (EC) No 139/2004 Art. 22(2)-(3): other Member States may join the request within "
        "15 working days of being informed of it by the Commission, and the Commission may decide to examine "
        "the concentration no later than 10 working days after that period has expired (25 working days in "
        "all); if it does not decide, it is deemed to have decided to examine it. Working days exclude the "
        "Commission's holidays (Implementing Regulation (EU) 2023/914)"
    ),
    source_url="https://eur-lex.europa.eu/legal-content/EN/TXT/?uri=CELEX:32004R0139",
    variants=_variants(
        Variant(
            "member_state_request",
            15,
            "the period for a Member State to make the request",
            "Regulation 139/2004 Art. 22(1) second subparagraph: the request is made at most within 15 working "
            "days of the date on which the concentration was notified or, if no notification is required, "
            "otherwise made known to the Member State concerned",
            started_by="national notification of the concentration (or the day it was made known)",
        ),
        Variant(
            "joining",
            15,
            "the period for other Member States to join the request",
            "Regulation 139/2004 Art. 22(2) second subparagraph: a Member State may join the initial request "
            "within 15 working days of being informed by the Commission",
        ),
    ),
    clock_stops=False,
    clock_stop_basis="Regulation 139/2004 Art. 22 sets the referral periods without any suspension",
)


BKARTA_PHASE_1 = DeadlineRule(
    regulator="bkarta",
    phase=DeadlinePhase.PHASE_1,
    title="Phase 1 (Vorprüfverfahren)",
    length=1,
    unit=DeadlineUnit.MONTHS,
    calendar=Calendar.GERMANY,
    # "Seit Eingang": receipt is an event, so its day does not count (BGB s.187(1)) and the
    # month ends on the day with the same number (s.188(2)), or the month's last (s.188(3)).
    day_one=DayOne.NEXT_DAY,
    started_by="receipt of the complete notification",
    legal_basis=(
        "GWB s.40(1): the Bundeskartellamt may prohibit a notified concentration only if it tells the "
        "notifying undertakings within one month of receipt of the complete notification that it has opened "
        "the main examination (Hauptprüfverfahren); the period is counted under BGB s.187(1) and s.188(2)-(3), "
        "and one ending on a Saturday, Sunday or public holiday (North Rhine-Westphalia, seat of the "
        "Bundeskartellamt in Bonn) ends on the next working day (BGB s.193; VwVfG s.31(1), (3))"
    ),
    source_url="https://www.gesetze-im-internet.de/gwb/__40.html",
    roll_forward=True,
    clock_stops=False,
    clock_stop_basis="GWB s.40(1) provides no suspension of the one-month period",
)

BKARTA_PHASE_2 = DeadlineRule(
    regulator="bkarta",
    phase=DeadlinePhase.PHASE_2,
    title="Phase 2 (Hauptprüfverfahren)",
    length=5,
    unit=DeadlineUnit.MONTHS,
    calendar=Calendar.GERMANY,
    day_one=DayOne.NEXT_DAY,
    started_by="receipt of the complete notification",
    legal_basis=(
        "GWB s.40(2) second sentence (as amended with effect from 19 January 2021): the concentration is "
        "deemed cleared unless the decision is served within five months of receipt of the complete "
        "notification; counted and rolled forward as the one-month period (BGB s.187(1), s.188(2)-(3), s.193)"
    ),
    source_url="https://www.gesetze-im-internet.de/gwb/__40.html",
    roll_forward=True,
    variants=_variants(
        Variant(
            "commitments",
            6,
            "a notifying undertaking first offers conditions or obligations (+1 month)",
            "GWB s.40(2) seventh sentence: the period is extended by one month where a notifying undertaking "
            "first proposes conditions or obligations under s.40(3) in the proceedings",
        ),
    ),
    # Extensions need the notifying undertakings' consent and have no statutory cap.
    max_extension=None,
    extension_basis="GWB s.40(2) fourth sentence no. 1: extension with the notifying undertakings' consent",
    clock_stop_basis=(
        "GWB s.40(2) fifth and sixth sentences: the period is suspended when the Bundeskartellamt has to "
        "repeat a s.59 request for information that a party failed to answer in time or in full for reasons "
        "it is responsible for, until the information is complete"
    ),
    # The five months run from the notification, not from the opening of the main examination.
    starts_on_phase_entry=False,
)


ACCC_PHASE_1 = DeadlineRule(
    regulator="accc",
    phase=DeadlinePhase.PHASE_1,
    title="Phase 1",
    length=30,
    # Business days in the Act's words; counted like working days on the ACT calendar.
    unit=DeadlineUnit.WORKING_DAYS,
    calendar=Calendar.AUSTRALIA_ACT,
    day_one=DayOne.NEXT_WORKING_DAY,
    started_by="notification (the day the notification is taken to be given)",
    legal_basis=(
        "Competition and Consumer Act 2010 Part IVA (inserted by the Treasury Laws Amendment (Mergers and "
        "Acquisitions Reform) Act 2024, mandatory from 1 January 2026): the phase 1 determination is due "
        "within 30 business days of the notification; business days exclude weekends and public holidays "
        "in the Australian Capital Territory, where the ACCC sits (Acts Interpretation Act 1901 s.2B, s.36)"
    ),
    source_url="https://www.legislation.gov.au/C2024A00137/asmade/text",
    clock_stop_basis=(
        "Competition and Consumer Act 2010 Part IVA: the determination period is extended where the ACCC "
        "requires information or the notifying party offers a remedy or agrees to an extension"
    ),
    # The register publishes each as "Timeline extended by N business days"; the Act sets no
    # overall cap on them.
    max_extension=None,
    extension_basis=(
        "Competition and Consumer Act 2010 Part IVA: the determination period is extended where the "
        "notifying party offers a remedy or agrees to an extension"
    ),
)

ACCC_PHASE_2 = DeadlineRule(
    regulator="accc",
    phase=DeadlinePhase.PHASE_2,
    title="Phase 2",
    length=90,
    unit=DeadlineUnit.WORKING_DAYS,
    calendar=Calendar.AUSTRALIA_ACT,
    day_one=DayOne.NEXT_WORKING_DAY,
    started_by="ACCC decision that the notification is subject to phase 2",
    legal_basis=(
        "Competition and Consumer Act 2010 Part IVA (as amended by the Treasury Laws Amendment (Mergers and "
        "Acquisitions Reform) Act 2024): the phase 2 determination is due within 90 business days of the "
        "start of phase 2; business days exclude weekends and public holidays in the Australian Capital "
        "Territory"
    ),
    source_url="https://www.legislation.gov.au/C2024A00137/asmade/text",
    clock_stop_basis=ACCC_PHASE_1.clock_stop_basis,
    max_extension=None,
    extension_basis=ACCC_PHASE_1.extension_basis,
)


def _hsr_rules(regulator: str) -> tuple[DeadlineRule, DeadlineRule]:
    common: dict[str, Any] = dict(
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
            Variant(
                "cash_tender", 15, "cash tender offer", "15 U.S.C. 18a(b)(1)(B); 16 CFR 803.10(b)"
            ),
            Variant(
                "bankruptcy",
                15,
                "sale under 11 U.S.C. 363(b)",
                "11 U.S.C. 363(b)(2); 16 CFR 803.10(b)",
            ),
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
    {
        (rule.regulator, rule.phase): rule
        for rule in (
            CMA_PHASE_1,
            CMA_PHASE_2,
            CMA_UIL_OFFER,
            CMA_UIL_ACCEPTANCE,
            EC_PHASE_1,
            EC_PHASE_2,
            EC_REFERRAL,
            *_hsr_rules("ftc"),
            *_hsr_rules("doj"),
            BKARTA_PHASE_1,
            BKARTA_PHASE_2,
            ACCC_PHASE_1,
            ACCC_PHASE_2,
        )
    }
)

# Which rule a review's status puts the clock on, per regulator.
_HSR_PHASES = {"phase_1": DeadlinePhase.HSR_INITIAL, "phase_2": DeadlinePhase.HSR_SECOND_REQUEST}
_NUMBERED_PHASES = {"phase_1": DeadlinePhase.PHASE_1, "phase_2": DeadlinePhase.PHASE_2}
PHASE_FOR_STATUS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "cma": _NUMBERED_PHASES,
        "ec": _NUMBERED_PHASES,
        "ftc": _HSR_PHASES,
        "doj": _HSR_PHASES,
        "accc": _NUMBERED_PHASES,
        # "bkarta" is not tied to review statuses yet: the tracker still treats it as the
        # regulator without rules. Its rules are counted on request (compute_deadline).
    }
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
