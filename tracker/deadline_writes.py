"""Where the deadline service's writes go: straight to the database (`AT_ONCE`), or kept in
memory for a bulk insert (`Replay`), when a new review's past is recorded in one go."""

from __future__ import annotations

from .deadline_periods import CURRENT_STATES, current_or_adopted
from .models import DeadlinePeriod, Event, Review


class Writes:
    """Where the deadline writes of a status change go: straight to the database."""

    def current(self, review: Review) -> DeadlinePeriod | None:
        return current_or_adopted(review)

    def clock_inputs(self) -> dict:
        return {}  # compute_for_review reads the review's clock stops and extensions

    def period(self, period: DeadlinePeriod, update_fields: list[str] | None = None) -> None:
        period.save(update_fields=update_fields)

    def event(self, event: Event) -> None:
        event.save()


AT_ONCE = Writes()


class Replay(Writes):
    """The deadline writes of a new review's past, kept in memory in the order made, for the
    caller to insert in bulk at the end. The review was created in the caller's transaction:
    it has no period, clock stop or extension in the database, so nothing needs reading."""

    def __init__(self):
        self.periods: list[DeadlinePeriod] = []
        self.events: list[Event] = []

    def current(self, review: Review) -> DeadlinePeriod | None:
        return next((p for p in self.periods if p.state in CURRENT_STATES), None)

    def clock_inputs(self) -> dict:
        return {"stops": [], "extensions": []}

    def period(self, period: DeadlinePeriod, update_fields: list[str] | None = None) -> None:
        if not any(p is period for p in self.periods):
            self.periods.append(period)

    def event(self, event: Event) -> None:
        self.events.append(event)
