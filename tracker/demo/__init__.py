"""Demo data: the AI-partnership deals, their reviews and sourced timelines.

Every fact cites its source, the regulator's, court's or company's own page where one
exists. Loading is idempotent: records are matched on natural keys (slugs, a proceeding's
regulator and reference, an event's date, kind and title), and a status change is replayed
through the transition service only when the proceeding has not recorded it yet.
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from regulators.models import Court, Regulator
from tracker.choices import DatePrecision, EventKind
from tracker.models import Deal, DealParty, Event, Party, Review
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
    """"2024-03-05", "2024-03" or "2024": the first day it names, and how precisely."""
    if not value:
        return None, DatePrecision.DAY
    parts = value.split("-")
    precision = {3: DatePrecision.DAY, 2: DatePrecision.MONTH, 1: DatePrecision.YEAR}[len(parts)]
    year, month, day = (int(p) for p in [*parts, "1", "1"][:3])
    return datetime.date(year, month, day), precision


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
        row["slug"]: _upsert(report, model, {"slug": row["slug"]}, {k: v for k, v in row.items() if k != "slug"})
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
    return deal


def _load_proceeding(report: LoadReport, row: dict, regulators: dict, courts: dict, deals: dict) -> None:
    covered = [deals[slug] for slug in row["deals"]]
    # A case known by its page alone (the CMA's references are not in the demo) is matched on it.
    key = {"reference": row["reference"]} if row["reference"] else {"reference": "", "url": row["url"]}
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
        },
    )
    report.count("Review", created=created, changed=False)
    for deal in covered[1:]:
        if link_deal(review, deal):
            report.count("ReviewDeal", created=True)
    for entry in sorted(row["timeline"], key=lambda e: e["date"]):
        if "transition" in entry:
            _replay_transition(report, review, entry)
        else:
            _load_event(report, None, review, entry)
    review.refresh_from_db()
    if row.get("stage") and review.stage != row["stage"]:
        review.stage = row["stage"]
        review.save(update_fields=["stage", "updated_at"])
        report.count("Review", created=False)


def _replay_transition(report: LoadReport, review: Review, entry: dict) -> None:
    occurred_on, precision = partial_date(entry["date"])
    move = entry["transition"]
    if Event.objects.filter(
        review=review, kind=EventKind.STATUS_CHANGE, to_status=move["to"], occurred_on=occurred_on
    ).exists():
        return
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
        return
    report.count("Event", created=True)
    if precision != DatePrecision.DAY:
        Event.objects.filter(pk=result.event.pk).update(date_precision=precision)


def _load_event(report: LoadReport, deal: Deal | None, review: Review | None, entry: dict) -> None:
    occurred_on, precision = partial_date(entry["date"])
    _, created = Event.objects.get_or_create(
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
            "currency": entry.get("currency", ""),
        },
    )
    report.count("Event", created=created, changed=False)
