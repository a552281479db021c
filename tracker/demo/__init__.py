"""Demo data: the AI-partnership deals, their reviews and sourced timelines.

Every fact cites its source, the regulator's, court's or company's own page where one
exists. Loading is idempotent: records are matched on natural keys (slugs, a proceeding's
regulator and reference, an event's date, kind and title), and a status change is replayed
through the transition service only when the proceeding has not recorded it yet.

A timeline entry with a "clock" is an act on the statutory deadline, replayed in date order
through the deadline services (tracker.deadlines), which write the proceeding's deadline
event; the entry's source and text are added to that event. The entry's "date" is the day
of the act:

- {"action": "stop", "reason": ..., "restarted_on": ...}: the clock stopped (restart optional);
- {"action": "restart"}: the clock stopped earlier runs again from this day;
- {"action": "extend", "length": 8, "reason": ...}: an extension in the rule's unit;
- {"action": "variant", "variant": "commitments", "note": ...}: a longer period the case type sets;
- {"action": "phase_decision", "decision": ...}: the decision on the phase, before the status
  change (the CMA's SLC decision days before the reference); an entry that also has a "kind"
  is kept as that event too;
- {"action": "published_deadline", "due_on": ...}: the due date the regulator published.

An act already recorded (the clock stop, the extension, the period it ended or dated) is not
replayed. An act the services refuse is kept as a plain deadline event, with a warning.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from regulators.models import Court, Regulator
from tracker import deadlines
from tracker.choices import DatePrecision, DealRole, EventKind, PeriodState
from tracker.models import (
    ClockStop,
    DeadlineExtension,
    DeadlinePeriod,
    Deal,
    DealParty,
    Event,
    Party,
    Review,
    ReviewDeal,
)
from tracker.services import TransitionNotAllowed, link_deal, transition_review

DATA_FILE = Path(__file__).with_name("ai_partnerships.json")


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def count(self, model_name: str, created: bool, changed: bool = True) -> None:
        if created:
            self.created[model_name] = self.created.get(model_name, 0) + 1
        elif changed:
            self.updated[model_name] = self.updated.get(model_name, 0) + 1

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


def partial_date(value: str | None) -> tuple[datetime.date | None, str]:
    """ "2024-03-05", "2024-03" or "2024": the first day it names, and how precisely."""
    if not value:
        return None, DatePrecision.DAY
    parts = value.split("-")
    precision = {3: DatePrecision.DAY, 2: DatePrecision.MONTH, 1: DatePrecision.YEAR}[len(parts)]
    year, month, day = (int(p) for p in [*parts, "1", "1"][:3])
    return datetime.date(year, month, day), precision


def entry_date(value: str) -> tuple[datetime.date, str]:
    """An entry's date, which every timeline entry has, and how precisely it is known."""
    day, precision = partial_date(value)
    if day is None:
        raise ValueError("A timeline entry needs a date.")
    return day, precision


def _upsert(report: LoadReport, model, lookup: dict, values: dict):
    """update_or_create that saves (and counts) only when something differs."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        report.count(model.__name__, created=True)
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save()
        report.count(model.__name__, created=False)
    return obj


def load_demo(path: Path = DATA_FILE) -> LoadReport:
    data = json.loads(path.read_text(encoding="utf-8"))
    report = LoadReport()
    with transaction.atomic():
        regulators = _load_keyed(report, Regulator, data["regulators"])
        courts = _load_keyed(report, Court, data.get("courts", []))
        parties = _load_keyed(report, Party, data["parties"])
        deals = {row["slug"]: _load_deal(report, row, parties) for row in data["deals"]}
        for row in data["proceedings"]:
            _load_proceeding(report, row, regulators, courts, deals)
    return report


def _load_keyed(report: LoadReport, model, rows: list[dict]) -> dict:
    return {
        row["slug"]: _upsert(
            report, model, {"slug": row["slug"]}, {k: v for k, v in row.items() if k != "slug"}
        )
        for row in rows
    }


def _load_deal(report: LoadReport, row: dict, parties: dict) -> Deal:
    announced_on, announced_precision = partial_date(row["announced_on"])
    completed_on, completed_precision = partial_date(row.get("completed_on"))
    deal = _upsert(
        report,
        Deal,
        {"slug": row["slug"]},
        {
            "title": row["title"],
            "deal_type": row["deal_type"],
            "status": row["status"],
            "announced_on": announced_on,
            "announced_precision": announced_precision,
            "completed_on": completed_on,
            "completed_precision": completed_precision,
            "value": Decimal(row["value"]) if row["value"] else None,
            "value_basis": row.get("value_basis", ""),
            "currency": row["currency"],
            "sector": row["sector"],
            "summary": row["summary"],
        },
    )
    for party_slug, role in row["parties"]:
        _, created = DealParty.objects.get_or_create(
            deal=deal, party=parties[party_slug], role=role
        )
        report.count("DealParty", created=created, changed=False)
    for event in row["events"]:
        _load_event(report, deal, None, event)
    return deal


def _load_proceeding(
    report: LoadReport, row: dict, regulators: dict, courts: dict, deals: dict
) -> None:
    covered = [deals[slug] for slug in row["deals"]]
    # A case known by its page alone (the CMA's references are not in the demo) is matched on it.
    key = (
        {"reference": row["reference"]}
        if row["reference"]
        else {"reference": "", "url": row["url"]}
    )
    # A proceeding opened by an act that is not a status change (the FTC's 6(b) orders).
    opening: dict[str, object] = {}
    if row.get("opened_on"):
        opening["opened_on"], opening["opened_precision"] = partial_date(row["opened_on"])
    review, created = Review.objects.get_or_create(
        regulator=regulators[row["regulator"]],
        **key,
        defaults={
            "deal": covered[0],
            "title": row.get("title", ""),
            "review_type": row["review_type"],
            "stage": row.get("stage", ""),
            **({"url": row["url"]} if row["reference"] else {}),
            "court": courts[row["court"]] if row.get("court") else None,
            "docket_number": row.get("docket_number", ""),
            "judge": row.get("judge", ""),
            **opening,
        },
    )
    report.count("Review", created=created, changed=False)
    # The proceeding's role on its deals: a review by default, a study covers, a remedy reaches.
    role = row.get("role", DealRole.REVIEWS)
    ReviewDeal.objects.filter(review=review, deal=covered[0]).exclude(role=role).update(role=role)
    for deal in covered[1:]:
        if link_deal(review, deal, role):
            report.count("ReviewDeal", created=True)
    last_pk = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    recorded: set[int] = set()
    for entry in sorted(row["timeline"], key=_replay_order):
        if "transition" in entry:
            recorded |= _replay_transition(report, review, entry)
        elif "clock" in entry:
            recorded |= _replay_clock(report, review, entry)
        else:
            recorded |= _load_event(report, None, review, entry)
    # The services date a source as read on the day they record it; a replayed source was
    # read when the entry says (read_on), or nobody recorded when.
    Event.objects.filter(review=review, pk__gt=last_pk).exclude(pk__in=recorded).update(
        source_read_on=None
    )
    review.refresh_from_db()
    if row.get("stage") and review.stage != row["stage"]:
        review.stage = row["stage"]
        review.save(update_fields=["stage", "updated_at"])
        report.count("Review", created=False)


def _replay_transition(report: LoadReport, review: Review, entry: dict) -> set[int]:
    """Replays the entry's status change; returns the events whose read date it recorded."""
    occurred_on, precision = entry_date(entry["date"])
    move = entry["transition"]
    if Event.objects.filter(
        review=review, kind=EventKind.STATUS_CHANGE, to_status=move["to"], occurred_on=occurred_on
    ).exists():
        return set()
    try:
        result = transition_review(
            review_id=review.pk,
            to_status=move["to"],
            occurred_on=occurred_on,
            title=entry["title"],
            note=entry["body"],
            source_url=entry["source"]["url"],
            source_title=entry["source"]["title"],
            source_type=entry["source"]["type"],
            stage=move.get("stage"),
            outcome=move.get("outcome") or None,
            outcome_wording=move.get("outcome_wording"),
        )
    except TransitionNotAllowed as exc:
        report.warnings.append(f"{review}: {exc}")
        return set()
    report.count("Event", created=True)
    read_on = partial_date(entry["source"].get("read_on"))[0]
    Event.objects.filter(pk=result.event.pk).update(
        date_precision=precision, source_read_on=read_on
    )
    # The proceeding's dates are as precise as the source that set them.
    if precision != DatePrecision.DAY:
        Review.objects.filter(pk=review.pk, opened_on=occurred_on).update(
            opened_precision=precision
        )
        Review.objects.filter(pk=review.pk, closed_on=occurred_on).update(
            closed_precision=precision
        )
    return {result.event.pk} if read_on else set()


def _load_event(
    report: LoadReport, deal: Deal | None, review: Review | None, entry: dict
) -> set[int]:
    """Loads a plain entry; returns the event when its read date is recorded."""
    occurred_on, precision = entry_date(entry["date"])
    event, created = Event.objects.get_or_create(
        deal=deal,
        review=review,
        kind=entry["kind"],
        occurred_on=occurred_on,
        title=entry["title"],
        defaults={
            "date_precision": precision,
            "body": entry["body"],
            "source_url": entry["source"]["url"],
            "source_title": entry["source"]["title"],
            "source_type": entry["source"]["type"],
            "source_read_on": partial_date(entry["source"].get("read_on"))[0],
            "amount": Decimal(entry["amount"]) if entry.get("amount") else None,
            "amount_basis": entry.get("amount_basis", ""),
            "currency": entry.get("currency", ""),
        },
    )
    report.count("Event", created=created, changed=False)
    return {event.pk} if event.source_read_on else set()


def _replay_order(entry: dict) -> str:
    """Entries replay in date order; an act known only to the month, on the day it was reported."""
    return entry.get("clock", {}).get("reported_on") or entry["date"]


def _day(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _clock_done(review: Review, on: datetime.date, clock: dict) -> bool:
    """Whether the act is already recorded: a second load replays nothing."""
    action = clock["action"]
    if action == "stop":
        return ClockStop.objects.filter(review=review, stopped_on=on).exists()
    if action == "restart":
        return ClockStop.objects.filter(review=review, restarted_on=on).exists()
    if action == "extend":
        return DeadlineExtension.objects.filter(
            review=review, granted_on=on, length=clock["length"]
        ).exists()
    periods = DeadlinePeriod.objects.filter(review=review)
    if action == "variant":
        return periods.filter(variant=clock["variant"]).exists()
    if action == "phase_decision":
        return periods.filter(ended_on=on, state__in=[PeriodState.MET, PeriodState.MISSED]).exists()
    if action == "published_deadline":
        return periods.filter(published_due_on=_day(clock["due_on"])).exists()
    raise ValueError(f"Unknown clock action {action!r}")


def _replay_clock(report: LoadReport, review: Review, entry: dict) -> set[int]:
    """Replays the entry's act on the clock; returns the events whose read date it recorded."""
    clock, source = entry["clock"], entry["source"]
    on, precision = entry_date(entry["date"])
    if precision != DatePrecision.DAY:
        # The source gives no day: the act counts from the day it was first reported.
        on = _day(clock["reported_on"])
    recorded = _load_event(report, None, review, entry) if entry.get("kind") else set()
    if _clock_done(review, on, clock):
        return recorded
    url = source["url"]
    action = clock["action"]
    try:
        if action == "stop":
            restarted_on = _day(clock["restarted_on"]) if clock.get("restarted_on") else None
            change = deadlines.stop_clock(
                review_id=review.pk,
                stopped_on=on,
                restarted_on=restarted_on,
                reason=clock["reason"],
                source_url=url,
            )
        elif action == "restart":
            stopped = (
                ClockStop.objects.filter(review=review, restarted_on__isnull=True)
                .order_by("-stopped_on")
                .first()
            )
            if stopped is None:
                raise ValidationError({"clock_stop": "No stopped clock to restart."})
            change = deadlines.restart_clock(
                clock_stop_id=stopped.pk, restarted_on=on, source_url=url
            )
        elif action == "extend":
            change = deadlines.extend_deadline(
                review_id=review.pk,
                length=clock["length"],
                granted_on=on,
                reason=clock["reason"],
                source_url=url,
            )
        elif action == "variant":
            review.refresh_from_db()
            if review.clock_started_on is None:
                raise ValueError(f"{review}: a deadline variant needs the clock's start first.")
            change = deadlines.set_clock(
                review_id=review.pk,
                started_on=review.clock_started_on,
                variant=clock["variant"],
                note=clock.get("note", ""),
                source_url=url,
            )
        elif action == "phase_decision":
            change = deadlines.record_phase_decision(
                review_id=review.pk, decided_on=on, decision=clock["decision"], source_url=url
            )
        else:
            change = deadlines.record_published_deadline(
                review_id=review.pk,
                published_due_on=_day(clock["due_on"]),
                published_on=on,
                source_url=url,
            )
    except ValidationError as exc:
        report.warnings.append(f"{review}: {action} on {on} refused ({exc}); kept as a plain event")
        if not entry.get("kind"):
            recorded |= _load_event(report, None, review, {"kind": EventKind.DEADLINE, **entry})
        return recorded
    report.count("DeadlineChange", created=True)
    read_on = partial_date(source.get("read_on"))[0]
    if change.event is not None:
        report.count("Event", created=True)
        body = "\n\n".join(part for part in (entry.get("body", ""), change.event.body) if part)
        # set_clock dates its event on the clock start; the act itself came on the entry's day.
        Event.objects.filter(pk=change.event.pk).update(
            occurred_on=on,
            date_precision=precision,
            body=body,
            source_title=source["title"],
            source_type=source["type"],
            source_read_on=read_on,
        )
        if read_on:
            recorded.add(change.event.pk)
    return recorded
