"""CMA undertakings in lieu, Article 22 referrals, the Bundeskartellamt's months, the ACCC, and
the Commission's holidays for 2019-2022. Pure counting: no database."""

import dataclasses
import datetime

import pytest

from regulators.calendars import get_calendar
from regulators.choices import Calendar, DayOne, DeadlinePhase, DeadlineUnit
from regulators.deadline_rules import get_rule, rule_for_status
from regulators.deadlines import ClockStopPeriod, DeadlineError, compute_deadline

d = datetime.date


def deadline(regulator, phase, start, **kwargs):
    return compute_deadline(get_rule(regulator, phase), start, **kwargs)


def weekends_only(regulator, phase):
    return dataclasses.replace(get_rule(regulator, phase), calendar=Calendar.NONE)


# -- CMA: undertakings in lieu of a reference (Enterprise Act 2002 s.73A) ------------------------


def test_cma_uil_offer_is_5_working_days_after_the_slc_decision():
    # SLC decision given on Wed 3 Jan 2018: day 1 is Thu 4 Jan, day 5 Wed 10 Jan.
    result = deadline("cma", DeadlinePhase.UIL_OFFER, d(2018, 1, 3))
    assert (result.day_one, result.date) == (d(2018, 1, 4), d(2018, 1, 10))
    assert result.verified


def test_cma_uil_offer_runs_over_bank_holidays():
    # SLC decision on Thu 22 Aug 2024: Mon 26 Aug is the Late Summer bank holiday.
    assert deadline("cma", "uil_offer", d(2024, 8, 22)).date == d(2024, 8, 30)
    assert compute_deadline(weekends_only("cma", "uil_offer"), d(2024, 8, 22)).date == d(
        2024, 8, 29
    )


def test_cma_uil_acceptance_is_50_working_days_from_the_slc_decision_not_the_offer():
    # SLC decision Thu 21 Mar 2024; Good Friday, Easter Monday, the early May and spring bank
    # holidays fall inside the 50 working days and push the end by four.
    result = deadline("cma", DeadlinePhase.UIL_ACCEPTANCE, d(2024, 3, 21))
    assert result.day_one == d(2024, 3, 22)
    assert result.date == d(2024, 6, 5)
    assert compute_deadline(weekends_only("cma", "uil_acceptance"), d(2024, 3, 21)).date == d(
        2024, 5, 30
    )
    assert "s.73A(3)" in result.explain()


def test_cma_uil_acceptance_extends_once_by_up_to_40_working_days():
    assert deadline("cma", "uil_acceptance", d(2018, 1, 3)).date == d(2018, 3, 14)
    # 40 more working days, over Good Friday (30 Mar) and Easter Monday (2 Apr) 2018.
    assert deadline("cma", "uil_acceptance", d(2018, 1, 3), extension=40).date == d(2018, 5, 14)
    with pytest.raises(DeadlineError, match="40 working days at most"):
        deadline("cma", "uil_acceptance", d(2018, 1, 3), extension=41)
    with pytest.raises(DeadlineError, match="once only"):
        deadline("cma", "uil_acceptance", d(2018, 1, 3), extension=30, extension_grants=2)
    with pytest.raises(DeadlineError, match="no extension"):
        deadline("cma", "uil_offer", d(2018, 1, 3), extension=1)


def test_cma_uil_rules_cite_section_73a():
    for phase in ("uil_offer", "uil_acceptance"):
        rule = get_rule("cma", phase)
        assert rule.calendar == Calendar.ENGLAND_WALES
        assert "s.73A" in rule.legal_basis and rule.source_url.endswith("/section/73A")


# -- European Commission: phase 1 and 2 lengths, extensions ----------------------------------------


def test_ec_phase_1_is_25_working_days_or_35_with_commitments():
    rule = get_rule("ec", "phase_1")
    assert (rule.length, rule.variants["commitments"].length) == (25, 35)
    assert "Art. 10(1)" in rule.variants["commitments"].legal_basis
    assert rule.max_extension == 0  # no extension in phase 1 beyond the 35


def test_ec_phase_2_extensions_15_automatic_plus_20_on_request_at_most_35():
    rule = get_rule("ec", "phase_2")
    automatic = rule.variants["commitments"].length - rule.length
    assert (automatic, rule.max_extension) == (15, 20)
    assert rule.longest - rule.length == 35
    assert rule.longest == 125
    start = d(2023, 1, 10)
    at_most = deadline("ec", "phase_2", start, variant="commitments", extension=20)
    with pytest.raises(DeadlineError, match="20 working days at most"):
        deadline("ec", "phase_2", start, variant="commitments", extension=21)
    # Counting: the longest period is the 125th working day, 20 after the 105th.
    calendar = get_calendar(Calendar.EU_COMMISSION)
    day, counted = deadline("ec", "phase_2", start, variant="commitments").date, 0
    while counted < 20:
        day += datetime.timedelta(days=1)
        counted += calendar.is_working_day(day)
    assert at_most.date == day


def test_ec_phase_2_extension_on_request_applies_without_commitments_too():
    start = d(2023, 1, 10)
    assert deadline("ec", "phase_2", start, extension=20).length == 90
    assert (
        deadline("ec", "phase_2", start, extension=15).date
        == deadline("ec", "phase_2", start, variant="commitments").date
    )


# -- European Commission: Article 22 referrals ----------------------------------------------------


def test_ec_article_22_illumina_grail_2021():
    # The Commission informed the Member States and the parties of France's request on 11 Mar
    # 2021; others could join for 15 working days (over Holy Thursday to Easter Monday), and
    # the Commission had 10 working days after that. It accepted the request on 19 Apr 2021,
    # within the period (General Court, T-227/21, and Court of Justice, C-611/22 P).
    joining = deadline("ec", DeadlinePhase.REFERRAL, d(2021, 3, 11), variant="joining")
    assert joining.date == d(2021, 4, 6)
    decision = deadline("ec", "referral", d(2021, 3, 11))
    assert decision.length == 25
    assert decision.date == d(2021, 4, 20)
    assert d(2021, 4, 19) <= decision.date
    # 2021's Commission holidays are projected, not checked against the Official Journal.
    assert not decision.verified and "2021" in decision.caveats[0]


def test_ec_article_22_request_runs_from_the_national_notification():
    result = deadline("ec", "referral", d(2023, 6, 1), variant="member_state_request")
    assert result.length == 15
    assert result.date == d(2023, 6, 22)
    assert "national notification" in result.explain()
    assert "Art. 22(1)" in result.rule.variants["member_state_request"].legal_basis


def test_ec_article_22_periods_cannot_be_stopped():
    with pytest.raises(DeadlineError, match="without any suspension"):
        deadline(
            "ec",
            "referral",
            d(2023, 6, 1),
            clock_stops=[ClockStopPeriod(d(2023, 6, 5), d(2023, 6, 7))],
        )


# -- European Commission: holidays of 2019-2022 ----------------------------------------------------


def test_ec_phase_1_microsoft_nuance_2021():
    # Notified Tue 16 Nov 2021; the Commission's published deadline was 21 Dec 2021 (cleared that day).
    result = deadline("ec", "phase_1", d(2021, 11, 16))
    assert result.date == d(2021, 12, 21)
    assert not result.verified  # 2021 is projected


def test_ec_holidays_2019_to_2022_count_the_commissions_own_days():
    cal = get_calendar(Calendar.EU_COMMISSION)
    assert not cal.is_working_day(d(2019, 4, 18))  # Holy Thursday 2019
    assert not cal.is_working_day(d(2019, 5, 9))  # Schuman Day
    assert not cal.is_working_day(d(2020, 5, 22))  # day after Ascension 2020
    assert not cal.is_working_day(d(2020, 12, 30))  # end-of-year closure
    assert not cal.is_working_day(d(2021, 4, 1))  # Holy Thursday 2021
    assert not cal.is_working_day(d(2021, 11, 2))  # All Souls' Day
    assert not cal.is_working_day(d(2022, 5, 9))  # Schuman Day on a Monday
    assert not cal.is_working_day(d(2022, 12, 28))
    assert cal.is_working_day(d(2021, 11, 11))  # Armistice Day is Belgian, not the Commission's
    assert cal.is_working_day(d(2022, 1, 3))


def test_ec_2019_to_2022_deadlines_are_provisional_with_their_status():
    cal = get_calendar(Calendar.EU_COMMISSION)
    (c2019,) = cal.caveats({2019})
    assert "official_journal_partial" in c2019 and "2017/C 279/03" in c2019
    assert "(secondary)" in cal.caveats({2020})[0]
    assert "(projected)" in cal.caveats({2021})[0]
    # 2022: the decision was found, but only the opening of its list could be read.
    (c2022,) = cal.caveats({2022})
    assert "(official_journal_partial)" in c2022 and "2021/C 24 I/01" in c2022
    # Notified Wed 17 Apr 2019: 18-19 and 22 Apr are holidays, so day 1 is Tue 23 Apr; 1 and 9 May
    # fall inside, and the period ends on Wed 29 May, the eve of Ascension.
    result = deadline("ec", "phase_1", d(2019, 4, 17))
    assert result.day_one == d(2019, 4, 23)
    assert result.date == d(2019, 5, 29)
    # With commitments, 10 more working days over Ascension, the day after and Whit Monday.
    assert deadline("ec", "phase_1", d(2019, 4, 17), variant="commitments").date == d(2019, 6, 17)


def test_ec_2022_decision_opens_its_list_at_holy_thursday():
    # Commission Decision of 11 January 2021 (2021/C 24 I/01): the sole article's first days
    # are 14 and 15 April 2022; 1 and 2 January 2022 fall on a weekend, so no day in January.
    cal = get_calendar(Calendar.EU_COMMISSION)
    assert not cal.is_working_day(d(2022, 4, 14))
    assert not cal.is_working_day(d(2022, 4, 15))
    assert cal.is_working_day(d(2022, 1, 3))


def test_ec_deadline_caveats_name_each_unchecked_year_and_its_status():
    cal = get_calendar(Calendar.EU_COMMISSION)
    for year, entry in cal.years.items():
        caveats = cal.caveats({year})
        if entry.status == "official_journal":
            assert caveats == []
        else:
            (caveat,) = caveats
            assert f"for {year} " in caveat and f"({entry.status})" in caveat
    # A deadline counted over a projected year is provisional and says which year it is.
    result = deadline("ec", "phase_1", d(2021, 3, 1))
    assert not result.verified
    assert any("for 2021 " in c and "(projected)" in c for c in result.caveats)


@pytest.mark.xfail(
    strict=True,
    reason="the 2022 list is read only to 15 April; one day the decision lists late in 2022 is "
    "still missing (see the 2022 source in ec_holidays.json)",
)
def test_ec_phase_2_microsoft_activision_2022():
    # The Commission opened phase 2 on Tue 8 Nov 2022 and announced 23 Mar 2023 as the end of the
    # 90 working days. On the 2022 days on record the count ends a working day early.
    result = deadline("ec", "phase_2", d(2022, 11, 8))
    assert not result.verified and any("for 2022 " in c for c in result.caveats)
    assert result.date == d(2023, 3, 23)


# -- Bundeskartellamt: calendar months (GWB s.40, BGB s.187-193) -----------------------------------


@pytest.mark.parametrize(
    "received, expected",
    [
        (d(2024, 3, 15), d(2024, 4, 15)),  # the same day number in the next month
        (
            d(2024, 1, 31),
            d(2024, 2, 29),
        ),  # no 31 Feb: the month's last day (BGB s.188(3)), leap year
        (d(2023, 1, 31), d(2023, 2, 28)),
        (d(2024, 1, 30), d(2024, 2, 29)),
        (d(2024, 12, 16), d(2025, 1, 16)),  # across the year end
    ],
)
def test_bkarta_phase_1_one_month_from_receipt(received, expected):
    result = deadline("bkarta", "phase_1", received)
    assert result.date == expected
    assert result.rolled_from is None
    assert result.verified


def test_bkarta_period_ending_on_a_weekend_or_holiday_runs_to_the_next_working_day():
    # 1 Jun 2024 is a Saturday (BGB s.193).
    result = deadline("bkarta", "phase_1", d(2024, 5, 1))
    assert (result.rolled_from, result.date) == (d(2024, 6, 1), d(2024, 6, 3))
    # 30 May 2024 is Corpus Christi, a public holiday in North Rhine-Westphalia (Bonn).
    assert deadline("bkarta", "phase_1", d(2024, 4, 30)).date == d(2024, 5, 31)
    # 1 Nov 2024 (All Saints' Day, NW) is a Friday: the period runs to Monday 4 Nov.
    assert deadline("bkarta", "phase_1", d(2024, 10, 1)).date == d(2024, 11, 4)
    # 29 Mar 2024 is Good Friday and 1 Apr Easter Monday.
    assert deadline("bkarta", "phase_1", d(2024, 2, 29)).date == d(2024, 4, 2)
    assert "1 month from day 1 on 2024-05-02" in result.explain()


def test_german_calendar_is_north_rhine_westphalia():
    cal = get_calendar(Calendar.GERMANY)
    assert not cal.is_working_day(d(2024, 5, 30))  # Corpus Christi (NW)
    assert not cal.is_working_day(d(2024, 11, 1))  # All Saints' Day (NW)
    assert not cal.is_working_day(d(2024, 10, 3))  # German Unity Day
    assert cal.is_working_day(d(2024, 3, 8))  # International Women's Day: Berlin only
    assert cal.is_working_day(d(2024, 10, 31))  # Reformation Day: not in NW
    assert cal.is_working_day(d(2024, 11, 20))  # Repentance Day: Saxony only


def test_bkarta_phase_2_five_months_from_receipt_of_the_notification():
    rule = get_rule("bkarta", "phase_2")
    assert (rule.length, rule.unit) == (5, DeadlineUnit.MONTHS)
    assert not rule.starts_on_phase_entry  # runs from the notification, not the opening
    result = deadline("bkarta", "phase_2", d(2024, 1, 31))
    assert (result.rolled_from, result.date) == (
        d(2024, 6, 30),
        d(2024, 7, 1),
    )  # 30 Jun is a Sunday
    assert deadline("bkarta", "phase_2", d(2024, 1, 31), variant="commitments").date == d(
        2024, 7, 31
    )


def test_bkarta_phase_2_extension_with_consent_has_no_cap():
    rule = get_rule("bkarta", "phase_2")
    assert rule.max_extension is None and rule.longest is None
    assert deadline("bkarta", "phase_2", d(2024, 1, 31), extension=3).date == d(2024, 9, 30)
    # Seven months end on Sat 31 Aug 2024 and run to Monday.
    assert deadline("bkarta", "phase_2", d(2024, 1, 31), extension=2, extension_grants=3).date == d(
        2024, 9, 2
    )
    with pytest.raises(DeadlineError, match="negative"):
        deadline("bkarta", "phase_2", d(2024, 1, 31), extension=-1)
    with pytest.raises(DeadlineError, match="no extension"):
        deadline("bkarta", "phase_1", d(2024, 1, 31), extension=1)


def test_bkarta_phase_2_suspension_adds_the_days_it_lasted():
    stop = ClockStopPeriod(d(2024, 3, 1), d(2024, 3, 11))  # ten days
    result = deadline("bkarta", "phase_2", d(2024, 1, 31), clock_stops=[stop])
    assert result.days_stopped == 10
    assert result.date == d(2024, 7, 10)
    with pytest.raises(DeadlineError, match="no suspension"):
        deadline("bkarta", "phase_1", d(2024, 1, 31), clock_stops=[stop])


@pytest.mark.parametrize(
    "begins, expected",
    [
        (
            d(2024, 3, 1),
            d(2024, 3, 31),
        ),  # begins with a day (BGB s.187(2)): ends the day before the 1st
        (d(2024, 1, 15), d(2024, 2, 14)),
        (d(2023, 1, 31), d(2023, 2, 28)),  # the day before "31 Feb" does not exist either: last day
        (d(2024, 3, 31), d(2024, 4, 30)),
    ],
)
def test_months_beginning_with_a_day(begins, expected):
    rule = dataclasses.replace(
        get_rule("bkarta", "phase_1"), day_one=DayOne.SAME_DAY, roll_forward=False
    )
    assert compute_deadline(rule, begins).date == expected


# -- ACCC: mandatory regime from 1 January 2026 -------------------------------------------------


def test_accc_phase_1_is_30_business_days_on_the_act_calendar():
    # Notified Mon 5 Jan 2026: Australia Day (Mon 26 Jan) does not count.
    result = deadline("accc", "phase_1", d(2026, 1, 5))
    assert result.day_one == d(2026, 1, 6)
    assert result.date == d(2026, 2, 17)
    assert compute_deadline(weekends_only("accc", "phase_1"), d(2026, 1, 5)).date == d(2026, 2, 16)
    assert result.verified


def test_accc_phase_2_is_90_business_days_without_act_holidays():
    # From Mon 16 Feb 2026, over Canberra Day, Easter, ANZAC Day (observed Mon 27 Apr),
    # Reconciliation Day and the King's Birthday: six days later than weekends only.
    result = deadline("accc", "phase_2", d(2026, 2, 16))
    assert result.date == d(2026, 6, 30)
    assert compute_deadline(weekends_only("accc", "phase_2"), d(2026, 2, 16)).date == d(2026, 6, 22)


def test_act_calendar():
    cal = get_calendar(Calendar.AUSTRALIA_ACT)
    assert not cal.is_working_day(d(2026, 3, 9))  # Canberra Day
    assert not cal.is_working_day(d(2026, 6, 1))  # Reconciliation Day (ACT)
    assert cal.is_working_day(d(2026, 3, 2))  # Labour Day in Western Australia only
    assert cal.is_working_day(d(2026, 8, 5))  # Picnic Day in the Northern Territory only


def test_new_regulators_map_their_statuses_to_rules():
    assert rule_for_status("accc", "phase_1").length == 30
    assert rule_for_status("accc", "phase_2").length == 90
    assert rule_for_status("bkarta", "phase_1") is None  # not tied to statuses yet
    assert rule_for_status("cma", "remedies") is None  # the UIL phases are not tied to a status
