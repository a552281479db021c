"""Demo data: the AI-partnership deals, their reviews and sourced timelines.

Loading is idempotent: records are matched on natural keys (slugs, deal x regulator,
and an event's date, kind and title), and a status change is replayed through the
transition service only when the review has not recorded it yet.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from regulators.models import Regulator
from tracker.choices import EventKind
from tracker.models import Deal, DealParty, Event, Party, Review
from tracker.services import TransitionNotAllowed, transition_review

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


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


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
        regulators = {
            row["slug"]: _upsert(report, Regulator, {"slug": row["slug"]}, {k: v for k, v in row.items() if k != "slug"})
            for row in data["regulators"]
        }
        parties = {
            row["slug"]: _upsert(report, Party, {"slug": row["slug"]}, {k: v for k, v in row.items() if k != "slug"})
            for row in data["parties"]
        }
        for row in data["deals"]:
            _load_deal(report, row, regulators, parties)
    return report


def _load_deal(report: LoadReport, row: dict, regulators: dict, parties: dict) -> None:
    deal = _upsert(
        report,
        Deal,
        {"slug": row["slug"]},
        {
            "title": row["title"],
            "deal_type": row["deal_type"],
            "status": row["status"],
            "announced_on": _date(row["announced_on"]),
            "value": Decimal(row["value"]) if row["value"] else None,
            "currency": row["currency"],
            "sector": row["sector"],
            "summary": row["summary"],
        },
    )
    for party_slug, role in row["parties"]:
        _, created = DealParty.objects.get_or_create(deal=deal, party=parties[party_slug], role=role)
        report.count("DealParty", created=created, changed=False)
    for event in row["events"]:
        _load_event(report, deal, None, event)
    for review_row in row["reviews"]:
        _load_review(report, deal, regulators[review_row["regulator"]], review_row)


def _load_review(report: LoadReport, deal: Deal, regulator: Regulator, row: dict) -> None:
    review, created = Review.objects.get_or_create(
        deal=deal,
        regulator=regulator,
        defaults={
            "reference": row["reference"],
            "review_type": row["review_type"],
            "status": row["status"],
            "stage": row["stage"],
            "opened_on": _date(row["opened_on"]),
            "url": row["url"],
        },
    )
    report.count("Review", created=created, changed=False)
    for entry in sorted(row["timeline"], key=lambda e: e["date"]):
        if "transition" in entry:
            _replay_transition(report, review, entry)
        else:
            _load_event(report, deal, review, entry)


def _replay_transition(report: LoadReport, review: Review, entry: dict) -> None:
    occurred_on = _date(entry["date"])
    if Event.objects.filter(
        review=review, kind=EventKind.STATUS_CHANGE, to_status=entry["transition"], occurred_on=occurred_on
    ).exists():
        return
    try:
        transition_review(
            review_id=review.pk,
            to_status=entry["transition"],
            occurred_on=occurred_on,
            title=entry["title"],
            note=entry["body"],
            source_url=entry["source_url"],
            stage=entry.get("stage"),
            outcome=entry.get("outcome"),
        )
    except TransitionNotAllowed as exc:
        report.warnings.append(f"{review}: {exc}")
        return
    report.count("Event", created=True)
    if entry["precision"] != "day":
        Event.objects.filter(review=review, kind=EventKind.STATUS_CHANGE, occurred_on=occurred_on).update(
            date_precision=entry["precision"]
        )


def _load_event(report: LoadReport, deal: Deal, review: Review | None, entry: dict) -> None:
    _, created = Event.objects.get_or_create(
        deal=deal,
        review=review,
        kind=entry["kind"],
        occurred_on=_date(entry["date"]),
        title=entry["title"],
        defaults={
            "date_precision": entry["precision"],
            "body": entry["body"],
            "source_url": entry["source_url"],
            "amount": Decimal(entry["amount"]) if entry.get("amount") else None,
            "currency": entry.get("currency", ""),
        },
    )
    report.count("Event", created=created, changed=False)
