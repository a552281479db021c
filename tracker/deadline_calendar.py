"""Deadlines as iCalendar: one all-day entry per review, so a moved deadline updates it.

The UID names the review, not the date: a calendar app that polls the feed replaces the
entry when the deadline moves instead of adding a second one.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .links import absolute
from .models import Review


def uid_domain() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0] or "localhost"


def review_uid(review: Review) -> str:
    return f"review-{review.pk}-deadline@{uid_domain()}"


def deadline_entry(review: Review, stamp: datetime.datetime) -> Event:
    due = review.next_deadline
    if due is None:
        raise ValueError(f"{review} has no deadline to put in a calendar.")
    entry = Event()
    entry.add("uid", review_uid(review))
    entry.add("dtstamp", stamp)
    entry.add("last-modified", review.updated_at)
    # Clients that order updates by SEQUENCE see a later version each time the review changes.
    entry.add("sequence", int(review.updated_at.timestamp()))
    entry.add("dtstart", due)
    entry.add("dtend", due + datetime.timedelta(days=1))
    entry.add("transp", "TRANSPARENT")
    phase = f" {review.get_deadline_phase_display().lower()}" if review.deadline_phase else ""
    entry.add("summary", f"{review.regulator.short_name}{phase} deadline: {review.name}")
    lines = [
        f"{review.regulator.name}" + (f", case {review.reference}" if review.reference else ""),
        f"Status: {review.get_status_display()}",
    ]
    if review.deadline_kind:
        lines.append(f"Deadline: {review.get_deadline_kind_display().lower()}")
    if review.deadline_basis:
        lines.append(review.deadline_basis)
    entry.add("description", "\n".join(lines))
    entry.add("url", absolute(review.get_absolute_url()))
    entry.add("categories", [review.regulator.short_name])
    return entry


def deadlines_calendar(reviews, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Antitrust case tracker//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    # A hint to pollers; the feed is live, each request reads the current deadlines.
    calendar.add("x-published-ttl", "PT1H")
    stamp = timezone.now()
    for review in reviews:
        calendar.add_component(deadline_entry(review, stamp))
    return calendar.to_ical()
