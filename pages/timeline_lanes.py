"""From the rows a page has loaded to the lanes of the timeline picture (no queries here:
every function reads only what it is given)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from tracker.choices import DealRole, EventKind, PeriodState
from tracker.labels import event_status_label, role_phrase, status_label
from tracker.lifecycle import OPEN_STATUSES

from .timeline_svg import Lane, Mark, Span

DECISION_KINDS = {EventKind.DECISION, EventKind.OPINION, EventKind.JUDGMENT}
COURT_KINDS = {EventKind.COMPLAINT, EventKind.APPEAL, EventKind.HEARING}
DEADLINE_MARKS = {
    PeriodState.MET: "met",
    PeriodState.MISSED: "missed",
    PeriodState.SUPERSEDED: "moved",
    PeriodState.WITHDRAWN: "withdrawn",
    PeriodState.RUNNING: "pending",
    PeriodState.STOPPED: "pending",
}
DEADLINE_WORDS = {
    "met": "met",
    "missed": "missed",
    "moved": "moved",
    "withdrawn": "withdrawn",
    "pending": "pending",
}


def phases(review, status_changes: list, today: datetime.date) -> list[Span]:
    """The review's open phases as spans: each status change starts one, the next ends it;
    the last runs to the closing day, or to today while the review is open."""
    changes = sorted(status_changes, key=lambda event: (event.occurred_on, event.pk))
    finish = review.closed_on or today
    spans = []
    if not changes:
        if review.opened_on and review.status in OPEN_STATUSES:
            spans.append(Span(review.opened_on, finish, status_label(review.status), review.status))
        return spans
    first = changes[0]
    if (
        review.opened_on
        and review.opened_on < first.occurred_on
        and first.from_status in OPEN_STATUSES
    ):
        spans.append(
            Span(
                review.opened_on,
                first.occurred_on,
                status_label(first.from_status),
                first.from_status,
            )
        )
    for change, following in zip(changes, [*changes[1:], None], strict=True):
        if change.to_status not in OPEN_STATUSES:
            continue
        end = following.occurred_on if following else finish
        spans.append(
            Span(
                change.occurred_on,
                max(end, change.occurred_on),
                status_label(change.to_status),
                change.to_status,
            )
        )
    return spans


def clock_stops(stops: list, today: datetime.date) -> list[Span]:
    return [
        Span(stop.stopped_on, stop.restarted_on or today, f"Clock stopped: {stop.reason}", "stop")
        for stop in stops
    ]


def deadline_marks(periods: list) -> list[Mark]:
    marks = []
    for period in periods:
        if period.due_on is None:
            continue
        kind = DEADLINE_MARKS.get(period.state, "pending")
        phase = period.get_phase_display() if period.phase else "Statutory"
        marks.append(
            Mark(
                period.due_on,
                f"{phase} deadline {period.due_on.day} {period.due_on:%b %Y}: {DEADLINE_WORDS[kind]}",
                kind,
            )
        )
    return marks


def event_points(events: list, review=None) -> list[Mark]:
    points = []
    for event in events:
        if event.kind in DECISION_KINDS:
            points.append(Mark(event.occurred_on, event.title, "decision"))
        elif event.kind in COURT_KINDS:
            points.append(Mark(event.occurred_on, event.title, "court"))
        elif event.kind == EventKind.STATUS_CHANGE and event.to_status not in OPEN_STATUSES:
            points.append(
                Mark(
                    event.occurred_on,
                    f"{event_status_label(event.to_status, review)}: {event.title}",
                    "decision",
                )
            )
    return points


def review_lane(
    review, events: list, stops: list, periods: list, today: datetime.date, role: str = ""
) -> Lane:
    """`role`: what the proceeding is to the deal whose picture this is, said on the lane
    where it does not review it."""
    status_changes = [e for e in events if e.kind == EventKind.STATUS_CHANGE]
    who = review.regulator.short_name
    phrase = role_phrase(role, "the deal")  # "" for a review
    if phrase:
        # Before the name, so that a label cut short on a narrow screen keeps it.
        who += f" ({phrase})"
    label = f"{who}: {review.name}"
    if review.reference:
        label += f" ({review.reference})"
    return Lane(
        label=label,
        href=review.get_absolute_url(),
        phases=tuple(phases(review, status_changes, today)),
        stops=tuple(clock_stops(stops, today)),
        deadlines=tuple(deadline_marks(periods)),
        points=tuple(event_points(events, review)),
    )


def deal_lane(deal, events: list) -> Lane | None:
    """The deal's own dates: announced, each investment tranche, completed."""
    points = []
    if deal.announced_on:
        points.append(Mark(deal.announced_on, "Announced", "deal"))
    for event in events:
        if event.kind == EventKind.INVESTMENT:
            points.append(Mark(event.occurred_on, event.title, "investment"))
    if deal.completed_on:
        points.append(Mark(deal.completed_on, "Completed", "deal"))
    return Lane(label=f"The deal: {deal.title}", points=tuple(points)) if points else None


def lanes_for(
    reviews: list, events: list, stops: list, periods: list, today: datetime.date, deal=None
) -> list[Lane]:
    """One lane per review, in the order given, after the deal's own lane when a deal is given;
    on a deal's picture the proceedings that review it come first, then those that cover,
    reach or relate to it (`role_on_deal`)."""
    events_by_review, stops_by_review, periods_by_review = (
        defaultdict(list),
        defaultdict(list),
        defaultdict(list),
    )
    for event in events:
        if event.review_id:
            events_by_review[event.review_id].append(event)
    for stop in stops:
        stops_by_review[stop.review_id].append(stop)
    for period in periods:
        periods_by_review[period.review_id].append(period)
    lanes = []
    if deal is not None:
        own = deal_lane(deal, [e for e in events if e.deal_id == deal.pk])
        if own:
            lanes.append(own)
    if deal is not None:
        order = list(DealRole.values)
        reviews = sorted(reviews, key=lambda r: order.index(r.role_on_deal))
    for review in reviews:
        lanes.append(
            review_lane(
                review,
                events_by_review[review.pk],
                stops_by_review[review.pk],
                periods_by_review[review.pk],
                today,
                role=review.role_on_deal if deal is not None else "",
            )
        )
    return lanes
