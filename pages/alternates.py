"""The machine-readable forms of each page: JSON, CSV, Atom and iCalendar, linked from the
page's head (<link rel="alternate">) and its footer."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

JSON = "application/json"
CSV = "text/csv"
ATOM = "application/atom+xml"
ICS = "text/calendar"


@dataclass(frozen=True)
class Alternate:
    title: str
    media_type: str
    href: str

    @property
    def format_name(self) -> str:
        return {JSON: "JSON", CSV: "CSV", ATOM: "Atom", ICS: "iCalendar"}[self.media_type]


def with_query(path: str, **params) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def events_feed(**params) -> str:
    return with_query(reverse("event-feed"), **params)


def deadlines_calendar(**params) -> str:
    return with_query(reverse("deadlines-ics"), **params)


def home() -> list[Alternate]:
    return [
        Alternate("Events (JSON)", JSON, reverse("event-list")),
        Alternate("Events (CSV)", CSV, with_query(reverse("event-list"), format="csv")),
        Alternate("Events (Atom)", ATOM, events_feed()),
        Alternate("Upcoming deadlines (iCalendar)", ICS, deadlines_calendar()),
    ]


def scoped(noun: str, api_path: str, **scope) -> list[Alternate]:
    """A deal's or a regulator's forms: itself, its proceedings, its events, its deadlines."""
    return [
        Alternate(f"This {noun} (JSON)", JSON, api_path),
        Alternate(
            "Its proceedings (CSV)", CSV, with_query(reverse("review-list"), **scope, format="csv")
        ),
        Alternate("Its events (Atom)", ATOM, events_feed(**scope)),
        Alternate("Its deadlines (iCalendar)", ICS, deadlines_calendar(**scope)),
    ]


def deal(deal) -> list[Alternate]:
    return scoped("deal", deal.api_url(), deal=deal.slug)


def regulator(regulator) -> list[Alternate]:
    return scoped("regulator", regulator.api_url(), regulator=regulator.slug)


def proceeding(review) -> list[Alternate]:
    regulator = review.regulator
    return [
        Alternate("This proceeding (JSON)", JSON, review.api_url()),
        Alternate(
            "Its events (CSV)",
            CSV,
            with_query(reverse("event-list"), review=review.pk, format="csv"),
        ),
        Alternate("Its events (Atom)", ATOM, events_feed(review=review.pk)),
        Alternate(
            f"{regulator.short_name} deadlines (iCalendar)",
            ICS,
            deadlines_calendar(regulator=regulator.slug),
        ),
    ]


def party(party) -> list[Alternate]:
    return [
        Alternate("This party (JSON)", JSON, party.api_url()),
        Alternate(
            "Its proceedings (CSV)",
            CSV,
            with_query(reverse("review-list"), party=party.slug, format="csv"),
        ),
    ]


def deadlines() -> list[Alternate]:
    return [
        Alternate("Upcoming deadlines (JSON)", JSON, reverse("deadline-list")),
        Alternate(
            "Upcoming deadlines (CSV)", CSV, with_query(reverse("deadline-list"), format="csv")
        ),
        Alternate("Upcoming deadlines (iCalendar)", ICS, deadlines_calendar()),
    ]
