"""The deadline rules against published cases and the statutes' edge cases. No database."""

import dataclasses
import datetime

import pytest

from regulators.calendars import CalendarNotCovered
from regulators.choices import Calendar
from regulators.deadline_rules import RULES, UnknownRule, get_rule, rule_for_status
from regulators.deadlines import ClockStopPeriod, DeadlineError, compute_deadline

d = datetime.date


def deadline(regulator, phase, start, **kwargs):
    return compute_deadline(get_rule(regulator, phase), start, **kwargs)


# -- published cases -----------------------------------------------------------------


@pytest.mark.parametrize(
    "case, launched, expected",
    [
        # Late Summer bank holiday 26 Aug 2024 falls inside the period.
        ("CMA Amazon/Anthropic", d(2024, 8, 8), d(2024, 10, 4)),
        ("CMA Alphabet/Anthropic", d(2024, 10, 24), d(2024, 12, 19)),
        ("CMA Microsoft/Inflection", d(2024, 7, 16), d(2024, 9, 11)),
    ],
)
def test_cma_phase_1_published_cases(case, launched, expected):
    result = deadline("cma", "phase_1", launched)
    assert result.date == expected, case
    assert result.day_one == launched + datetime.timedelta(days=1)
    assert result.verified  # national calendar: nothing provisional


def test_amazon_anthropic_counts_the_bank_holiday_out():
    rule = get_rule("cma", "phase_1")
    weekends_only = dataclasses.replace(rule, calendar=Calendar.NONE)
    assert compute_deadline(weekends_only, d(2024, 8, 8)).date == d(2024, 10, 3)
    assert compute_deadline(rule, d(2024, 8, 8)).date == d(2024, 10, 4)


def test_ec_nvidia_runai_phase_1():
    result = deadline("ec", "phase_1", d(2024, 11, 15))  # notified on a Friday
    assert result.day_one == d(2024, 11, 18)
    assert result.date == d(2024, 12, 20)
    # 2024's Commission holidays are only partly checked against the Official Journal.
    assert not result.verified
    assert "2024" in result.caveats[0]


def test_cma_phase_1_microsoft_activision_with_the_august_bank_holiday():
    # Launched 6 Jul 2022; phase 1 decision due and taken 1 Sep 2022 (29 Aug 2022 a bank holiday).
    assert deadline("cma", "phase_1", d(2022, 7, 6)).date == d(2022, 9, 1)


def test_cma_phase_2_microsoft_activision_reference_and_extension():
    # Reference 15 Sep 2022, statutory deadline 1 Mar 2023; extended by 8 weeks under
    # s.39(3) to 26 Apr 2023 (CMA notice of extension of the inquiry period, Jan 2023).
    assert deadline("cma", "phase_2", d(2022, 9, 15)).date == d(2023, 3, 1)
    assert deadline("cma", "phase_2", d(2022, 9, 15), extension=8).date == d(2023, 4, 26)


# -- the Commission's own holidays -----------------------------------------------------


def test_ec_counts_holy_thursday_and_the_easter_days_out_2023_verified():
    # Notified Wed 5 Apr 2023: 6-7 and 10 Apr are Commission holidays, so day 1 is Tue 11 Apr;
    # 1 and 9 May are holidays too.
    result = deadline("ec", "phase_1", d(2023, 4, 5))
    assert result.day_one == d(2023, 4, 11)
    assert result.date == d(2023, 5, 17)
    assert result.verified and result.caveats == ()


def test_ec_phase_1_with_commitments_or_a_referral_request_is_35_working_days():
    # Ten more working days from 17 May 2023, past Ascension (18-19 May) and Whit Monday (29 May).
    assert deadline("ec", "phase_1", d(2023, 4, 5), variant="commitments").date == d(2023, 6, 5)
    assert deadline("ec", "phase_1", d(2023, 4, 5), variant="referral_request").date == d(
        2023, 6, 5
    )


def test_ec_phase_2_lengths_and_extension_limit():
    start = d(2023, 1, 10)
    plain = deadline("ec", "phase_2", start)
    with_commitments = deadline("ec", "phase_2", start, variant="commitments")
    extended = deadline("ec", "phase_2", start, variant="commitments", extension=20)
    assert plain.date < with_commitments.date < extended.date
    assert (plain.length, with_commitments.length, extended.length + extended.extension) == (
        90,
        105,
        125,
    )
    with pytest.raises(DeadlineError, match="20 working days at most") as exc:
        deadline("ec", "phase_2", start, extension=21)
    assert exc.value.field == "extension"


def test_ec_clock_stop_across_the_christmas_closure():
    # NVIDIA/Run:ai stopped 3 working days: from 20 Dec the count runs over Mon 23 Dec, skips
    # 24-31 Dec and 1-2 Jan 2025, then Fri 3 and Mon 6 Jan.
    result = deadline(
        "ec",
        "phase_1",
        d(2024, 11, 15),
        clock_stops=[ClockStopPeriod(d(2024, 12, 2), d(2024, 12, 5))],
    )
    assert result.days_stopped == 3
    assert result.date == d(2025, 1, 6)


def test_ec_refuses_years_without_holiday_data():
    with pytest.raises(
        CalendarNotCovered, match="2019-2027 only; cannot count working days in 2028"
    ):
        deadline("ec", "phase_1", d(2028, 2, 1))
    with pytest.raises(CalendarNotCovered, match="2028"):
        deadline("ec", "phase_2", d(2027, 11, 1))  # runs into 2028


# -- clock stops ---------------------------------------------------------------------------


def test_cma_clock_stop_pushes_by_the_working_days_stopped():
    stop = ClockStopPeriod(d(2024, 9, 2), d(2024, 9, 9))  # stops Mon, runs again the next Mon
    result = deadline("cma", "phase_1", d(2024, 8, 8), clock_stops=[stop])
    assert result.days_stopped == 5
    assert result.date == d(2024, 10, 11)
    assert "clock stopped 2024-09-02 to 2024-09-09" in result.explain()


def test_clock_stop_over_a_bank_holiday_loses_only_working_days():
    stop = ClockStopPeriod(d(2024, 8, 23), d(2024, 8, 28))  # Fri, [Mon 26 bank holiday], Tue
    result = deadline("cma", "phase_1", d(2024, 8, 8), clock_stops=[stop])
    assert result.days_stopped == 2
    assert result.date == d(2024, 10, 8)


def test_several_stops_add_up():
    stops = [
        ClockStopPeriod(d(2024, 9, 2), d(2024, 9, 4)),
        ClockStopPeriod(d(2024, 9, 16), d(2024, 9, 17)),
    ]
    assert deadline("cma", "phase_1", d(2024, 8, 8), clock_stops=stops).date == d(2024, 10, 9)


def test_a_stop_in_a_weeks_period_adds_calendar_days():
    stop = ClockStopPeriod(d(2022, 10, 3), d(2022, 10, 10))
    assert deadline("cma", "phase_2", d(2022, 9, 15), clock_stops=[stop]).date == d(2023, 3, 8)


def test_a_clock_still_stopped_has_no_deadline():
    result = deadline("cma", "phase_1", d(2024, 8, 8), clock_stops=[ClockStopPeriod(d(2024, 9, 2))])
    assert result.suspended and result.date is None
    assert "clock stopped since 2024-09-02" in result.explain()


@pytest.mark.parametrize(
    "stops, field, message",
    [
        ([ClockStopPeriod(d(2024, 9, 6), d(2024, 9, 2))], "restarted_on", "must restart after"),
        ([ClockStopPeriod(d(2024, 9, 6), d(2024, 9, 6))], "restarted_on", "must restart after"),
        ([ClockStopPeriod(d(2024, 8, 1), d(2024, 8, 20))], "stopped_on", "predates the start"),
        (
            [ClockStopPeriod(d(2024, 11, 1), d(2024, 11, 5))],
            "stopped_on",
            "already ended on 2024-10-04",
        ),
        (
            [
                ClockStopPeriod(d(2024, 9, 2), d(2024, 9, 10)),
                ClockStopPeriod(d(2024, 9, 9), d(2024, 9, 12)),
            ],
            "stopped_on",
            "overlap",
        ),
        (
            [ClockStopPeriod(d(2024, 9, 2)), ClockStopPeriod(d(2024, 9, 20), d(2024, 9, 23))],
            "stopped_on",
            "overlap",
        ),
    ],
)
def test_impossible_clock_stops_are_refused(stops, field, message):
    with pytest.raises(DeadlineError, match=message) as exc:
        deadline("cma", "phase_1", d(2024, 8, 8), clock_stops=stops)
    assert exc.value.field == field


# -- HSR -------------------------------------------------------------------------------------


@pytest.mark.parametrize("regulator", ["ftc", "doj"])
def test_hsr_30_days_rolls_over_a_weekend(regulator):
    result = deadline(regulator, "hsr_initial", d(2024, 6, 7))  # 30th day is Sunday 7 Jul
    assert result.date == d(2024, 7, 8)
    assert result.rolled_from == d(2024, 7, 7)
    assert "2024-07-07 is not a business day" in result.explain()


def test_hsr_ending_on_a_business_day_does_not_roll():
    result = deadline("ftc", "hsr_initial", d(2024, 6, 1))
    assert (result.date, result.rolled_from) == (d(2024, 7, 1), None)


def test_hsr_rolls_over_federal_holidays_including_observed_ones():
    assert deadline("ftc", "hsr_initial", d(2024, 6, 4)).date == d(2024, 7, 5)  # Independence Day
    assert deadline("ftc", "hsr_second_request", d(2024, 10, 29)).date == d(
        2024, 11, 29
    )  # Thanksgiving
    # 4 Jul 2026 is a Saturday, observed on Friday 3 Jul: the period runs to Monday.
    assert deadline("ftc", "hsr_initial", d(2026, 6, 3)).date == d(2026, 7, 6)


def test_hsr_cash_tender_and_bankruptcy_are_15_days_then_10_after_a_second_request():
    assert deadline("ftc", "hsr_initial", d(2024, 6, 7), variant="cash_tender").date == d(
        2024, 6, 24
    )  # Sat 22 rolls
    assert deadline("doj", "hsr_initial", d(2024, 6, 3), variant="bankruptcy").date == d(
        2024, 6, 18
    )
    assert deadline("ftc", "hsr_second_request", d(2024, 11, 1)).date == d(
        2024, 12, 2
    )  # Sun 1 Dec rolls
    assert deadline("ftc", "hsr_second_request", d(2024, 11, 1), variant="cash_tender").date == d(
        2024, 11, 12
    )


def test_hsr_waiting_periods_cannot_be_stopped_or_extended():
    with pytest.raises(DeadlineError, match="pull-and-refile"):
        deadline(
            "ftc",
            "hsr_initial",
            d(2024, 6, 7),
            clock_stops=[ClockStopPeriod(d(2024, 6, 10), d(2024, 6, 12))],
        )
    with pytest.raises(DeadlineError, match="no extension"):
        deadline("ftc", "hsr_initial", d(2024, 6, 7), extension=5)


# -- extensions and variants ---------------------------------------------------------------


def test_cma_phase_2_extends_once_by_up_to_8_weeks():
    with pytest.raises(DeadlineError, match="8 weeks at most"):
        deadline("cma", "phase_2", d(2022, 9, 15), extension=9)
    with pytest.raises(DeadlineError, match="once only"):
        deadline("cma", "phase_2", d(2022, 9, 15), extension=6, extension_grants=2)
    with pytest.raises(DeadlineError, match="no extension"):
        deadline("cma", "phase_1", d(2024, 8, 8), extension=1)
    with pytest.raises(DeadlineError, match="negative"):
        deadline("cma", "phase_2", d(2022, 9, 15), extension=-1)


def test_unknown_variant_names_the_ones_that_exist():
    with pytest.raises(DeadlineError, match="its variants: commitments") as exc:
        deadline("ec", "phase_2", d(2023, 1, 10), variant="referral_request")
    assert exc.value.field == "variant"
    with pytest.raises(DeadlineError, match="none"):
        deadline("cma", "phase_1", d(2024, 8, 8), variant="cash_tender")


# -- the rules as data -------------------------------------------------------------------------


def test_unknown_regulator_or_phase_is_named():
    with pytest.raises(UnknownRule, match="rules exist for accc, bkarta, cma, doj, ec, ftc"):
        get_rule("kftc", "phase_1")
    with pytest.raises(UnknownRule, match="cma has phase_1, phase_2, uil_acceptance, uil_offer"):
        get_rule("cma", "hsr_initial")


def test_every_rule_cites_its_legal_basis_and_source():
    assert len(RULES) == 15
    for rule in RULES.values():
        assert rule.legal_basis and rule.source_url.startswith("https://")
        assert rule.length > 0
        for variant in rule.variants.values():
            assert variant.legal_basis and variant.length > 0
        if rule.max_extension != 0:  # capped or, where None, uncapped
            assert rule.extension_basis


def test_review_statuses_map_to_rules():
    assert rule_for_status("cma", "phase_1").phase == "phase_1"
    assert rule_for_status("ftc", "phase_2").phase == "hsr_second_request"
    assert rule_for_status("cma", "remedies") is None
    assert rule_for_status("kftc", "phase_1") is None
