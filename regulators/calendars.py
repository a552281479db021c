"""Working-day calendars that regulators count their deadlines on.

National calendars come from the `holidays` package. The European Commission's
holidays are not any country's: they are fixed each year by a Commission decision in
the Official Journal, so they are kept as data (data/ec_holidays.json) and a date
outside the years on record is refused rather than counted wrongly.
"""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from pathlib import Path

import holidays

from .choices import Calendar

EC_HOLIDAYS_FILE = Path(__file__).parent / "data" / "ec_holidays.json"
VERIFIED_STATUS = "official_journal"


class CalendarNotCovered(ValueError):
    """A date falls in a year for which the calendar has no holiday data."""


@dataclass(frozen=True)
class HolidayYear:
    status: str
    source: str
    source_url: str
    dates: frozenset[datetime.date]


class WorkingDayCalendar:
    """Weekends are never working days; subclasses name the holidays."""

    code: str = Calendar.NONE

    @property
    def label(self) -> str:
        return Calendar(self.code).label

    def is_holiday(self, day: datetime.date) -> bool:
        return False

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after `day`."""
        day += datetime.timedelta(days=1)
        while not self.is_working_day(day):
            day += datetime.timedelta(days=1)
        return day

    def roll_forward(self, day: datetime.date) -> datetime.date:
        """`day` itself if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def caveats(self, years: set[int]) -> list[str]:
        """Notes on holiday data for these years that is not checked against its source."""
        return []


class NationalCalendar(WorkingDayCalendar):
    def __init__(self, code: str, country: str, subdiv: str | None = None):
        self.code = code
        # observed=True: substitute days (a bank holiday moved off a weekend, a US
        # federal holiday observed on the Friday or Monday) are days off too.
        self._holidays = holidays.country_holidays(country, subdiv=subdiv, observed=True)

    def is_holiday(self, day: datetime.date) -> bool:
        return day in self._holidays


class TabulatedCalendar(WorkingDayCalendar):
    """Holidays listed year by year, each year with its source."""

    def __init__(self, code: str, years: dict[int, HolidayYear]):
        self.code = code
        self.years = years

    def _year(self, year: int) -> HolidayYear:
        try:
            return self.years[year]
        except KeyError:
            known = f"{min(self.years)}-{max(self.years)}" if self.years else "no years"
            raise CalendarNotCovered(
                f"{self.label} are on record for {known} only; cannot count working days in {year}. "
                f"Add {year} to {EC_HOLIDAYS_FILE.name} from the Commission decision in the Official Journal."
            ) from None

    def is_holiday(self, day: datetime.date) -> bool:
        return day in self._year(day.year).dates

    def caveats(self, years: set[int]) -> list[str]:
        return [
            f"{self.label} for {year} are not checked against the Official Journal in full "
            f"({self._year(year).status}): "
            f"{self._year(year).source}"
            for year in sorted(years)
            if self._year(year).status != VERIFIED_STATUS
        ]


def load_tabulated_years(path: Path) -> dict[int, HolidayYear]:
    raw = json.loads(path.read_text())
    return {
        int(year): HolidayYear(
            status=entry["status"],
            source=entry["source"],
            source_url=entry.get("source_url", ""),
            dates=frozenset(datetime.date.fromisoformat(d) for d in entry["dates"]),
        )
        for year, entry in raw["years"].items()
    }


@functools.cache
def get_calendar(code: str) -> WorkingDayCalendar:
    """The calendar for a Regulator.calendar code; ValueError for an unknown one."""
    if code == Calendar.ENGLAND_WALES:
        return NationalCalendar(code, "GB", subdiv="ENG")
    if code == Calendar.US_FEDERAL:
        # The package's US federal list (no state): the holidays of 5 U.S.C. 6103(a).
        return NationalCalendar(code, "US")
    if code == Calendar.GERMANY:
        # The Bundeskartellamt sits in Bonn: a period ending on a public holiday of North
        # Rhine-Westphalia (Corpus Christi, All Saints' Day) runs on too (BGB s.193).
        return NationalCalendar(code, "DE", subdiv="NW")
    if code == Calendar.FRANCE:
        return NationalCalendar(code, "FR")
    if code == Calendar.AUSTRALIA_ACT:
        # The ACCC counts business days without the public holidays of the Australian
        # Capital Territory, where it sits (Canberra Day, Reconciliation Day, ...).
        return NationalCalendar(code, "AU", subdiv="ACT")
    if code == Calendar.EU_COMMISSION:
        return TabulatedCalendar(code, load_tabulated_years(EC_HOLIDAYS_FILE))
    if code == Calendar.NONE:
        return WorkingDayCalendar()
    raise ValueError(f"Unknown calendar {code!r}; known: {', '.join(Calendar.values)}.")
