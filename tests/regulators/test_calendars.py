"""Working-day calendars. No database."""

import datetime
import json
import re

import pytest

from regulators.calendars import (
    EC_HOLIDAYS_FILE,
    CalendarNotCovered,
    get_calendar,
    load_tabulated_years,
)
from regulators.choices import Calendar
from regulators.deadline_rules import RULES

d = datetime.date


def test_england_and_wales_bank_holidays_not_scotland():
    cal = get_calendar(Calendar.ENGLAND_WALES)
    assert not cal.is_working_day(d(2024, 8, 26))  # Late Summer bank holiday (England and Wales)
    assert cal.is_working_day(d(2024, 8, 5))  # Scotland's summer bank holiday is not one
    assert not cal.is_working_day(d(2026, 12, 28))  # Boxing Day substitute
    assert cal.next_working_day(d(2024, 8, 23)) == d(2024, 8, 27)


def test_us_federal_holidays_with_observed_days():
    cal = get_calendar(Calendar.US_FEDERAL)
    assert not cal.is_working_day(d(2024, 6, 19))  # Juneteenth
    assert not cal.is_working_day(d(2027, 7, 5))  # 4 July on a Sunday, observed Monday
    assert cal.is_working_day(d(2024, 11, 29))  # the day after Thanksgiving is not a holiday
    assert cal.roll_forward(d(2024, 7, 6)) == d(2024, 7, 8)
    assert cal.roll_forward(d(2024, 7, 8)) == d(2024, 7, 8)


def test_commission_holidays_are_not_belgian_ones():
    cal = get_calendar(Calendar.EU_COMMISSION)
    assert not cal.is_working_day(d(2024, 3, 28))  # Holy Thursday
    assert not cal.is_working_day(d(2024, 5, 10))  # day after Ascension
    assert not cal.is_working_day(d(2023, 12, 28))  # end-of-year closure
    assert cal.is_working_day(
        d(2024, 11, 11)
    )  # Armistice Day is a Belgian holiday, not the Commission's
    with pytest.raises(CalendarNotCovered, match="2018"):
        cal.is_working_day(d(2018, 6, 1))


def test_commission_holiday_data_names_its_source_for_every_year():
    raw = json.loads(EC_HOLIDAYS_FILE.read_text())
    years = load_tabulated_years(EC_HOLIDAYS_FILE)
    assert sorted(years) == list(range(2019, 2028))
    statuses = {"official_journal", "official_journal_partial", "secondary", "projected"}
    for year, entry in years.items():
        assert entry.status in statuses
        assert entry.source
        assert all(day.year == year and day.weekday() < 5 for day in entry.dates)
        assert len(raw["years"][str(year)]["dates"]) == len(entry.dates)  # no duplicates
    assert years[2023].status == "official_journal"


def test_years_checked_against_the_official_journal_cite_it():
    oj = re.compile(
        r"OJ C \d+(?: I)?, \d{1,2}\.\d{1,2}\.\d{4}, p\. \d+ \(\d{4}/C \d+(?: I)?/\d{2}\)"
    )
    years = load_tabulated_years(EC_HOLIDAYS_FILE)
    for year, entry in years.items():
        if entry.status in {"official_journal", "official_journal_partial"}:
            assert oj.search(entry.source), year
            assert entry.source_url.startswith("https://eur-lex.europa.eu/"), year
        else:
            assert "not found" in entry.source or "Projected" in entry.source, year
    assert "2021/C 24 I/01" in years[2022].source


def test_caveats_name_unchecked_years_only():
    cal = get_calendar(Calendar.EU_COMMISSION)
    assert cal.caveats({2023}) == []
    (caveat,) = cal.caveats({2023, 2026})
    assert "2026" in caveat and "projected" in caveat


def test_weekends_only_and_unknown_calendars():
    assert get_calendar(Calendar.NONE).is_working_day(d(2024, 12, 25))
    with pytest.raises(ValueError, match="Unknown calendar"):
        get_calendar("XX")


def test_every_rule_uses_a_calendar_that_exists():
    for rule in RULES.values():
        assert get_calendar(rule.calendar).code == rule.calendar


def test_rules_use_the_calendar_of_their_demo_regulator():
    from tracker.demo import DATA_FILE

    calendars = {r["slug"]: r["calendar"] for r in json.loads(DATA_FILE.read_text())["regulators"]}
    # The ACCC is not in the demo data yet.
    assert {regulator for regulator, _ in RULES} - set(calendars) <= {"accc"}
    for (regulator, _), rule in RULES.items():
        if regulator in calendars:
            assert calendars[regulator] == rule.calendar
