"""Every read endpoint, on the demo data, answers exactly as its saved snapshot says.

The snapshots under tests/api/snapshots/ are the bodies the API gave when they were
written; a change of any field, value, order or CSV column shows up here as a diff.
Rewrite them on purpose, after a deliberate change of a response, with

    UPDATE_SNAPSHOTS=1 python -m pytest tests/api/test_demo_responses.py

(which also deletes the snapshots of URLs no longer listed here) and review the diff
before committing it. The same snapshots must hold on SQLite and on PostgreSQL, so
every list read here has a total order on both.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import io
import json
import os
import re
from pathlib import Path

import pytest
import time_machine
from rest_framework.test import APIClient

from regulators.models import Regulator
from tests.factories import UserFactory
from tracker.choices import ReviewStatus
from tracker.demo import load_demo
from tracker.models import Deal, Review
from tracker.services import transition_review

SNAPSHOTS = Path(__file__).with_name("snapshots")
UPDATE = os.environ.get("UPDATE_SNAPSHOTS", "") == "1"
V1 = "/api/v1"

# A fixed "now": timestamps stay put and the default deadline window (from today on) is stable.
FROZEN_NOW = datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.UTC)

# Values that depend on when (or how fast) the data was written, not on the data.
CLOCK_FIELDS = {
    "created_at",
    "updated_at",
    "status_changed_at",
    "started_at",
    "delivered_at",
    "next_attempt_at",
    "disabled_at",
    "duration_ms",
}
ICS_CLOCK_LINES = re.compile(r"^(DTSTAMP|CREATED|LAST-MODIFIED|SEQUENCE)([;:].*)$", re.MULTILINE)
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

# name -> path under /api/v1; {delivery} stands for the first delivery's id.
PUBLIC_URLS = {
    "regulators": "regulators/",
    "regulators-eu": "regulators/?jurisdiction=EU",
    "regulator-cma": "regulators/cma/",
    "parties": "parties/",
    "parties-search": "parties/?q=ai",
    "party-anthropic": "parties/anthropic/",
    "deals": "deals/",
    "deals-by-cma": "deals/?regulator=cma",
    "deals-page-2": "deals/?page_size=4&page=2",
    "deal-microsoft-openai": "deals/microsoft-openai/",
    "deal-microsoft-inflection": "deals/microsoft-inflection/",
    "deal-nvidia-runai": "deals/nvidia-runai/",
    "timeline-microsoft-openai": "deals/microsoft-openai/timeline/",
    "timeline-status-changes": "deals/alphabet-anthropic/timeline/?kind=status_change",
    "timeline-amazon-anthropic": "deals/amazon-anthropic/timeline/",
    "deal-amazon-anthropic": "deals/amazon-anthropic/",
    "reviews": "reviews/",
    "reviews-open": "reviews/?open=true",
    "reviews-closed": "reviews/?open=false",
    "reviews-cma": "reviews/?regulator=cma",
    "reviews-us": "reviews/?jurisdiction=US&ordering=id",
    "reviews-by-deal": "reviews/?deal=microsoft-openai,amazon-anthropic&ordering=-id",
    "reviews-covering-deal": "reviews/?deal=alphabet-anthropic&ordering=id",
    "reviews-by-court": "reviews/?court=us-dcd,uk-cat&ordering=id",
    "courts": "courts/",
    "reviews-by-outcome": "reviews/?outcome=not_qualifying,study_concluded&ordering=id",
    "reviews-page-2": "reviews/?page_size=5&page=2",
    "review-1": "reviews/1/",
    "review-3": "reviews/3/",
    "review-doj-search-case": "reviews/7/",
    "review-ftc-study": "reviews/6/",
    "review-1-events": "reviews/1/events/",
    "review-5-events": "reviews/5/events/",
    "events": "events/?page_size=200",
    "events-first-page": "events/?page_size=5",
    "events-microsoft-openai": "events/?deal=microsoft-openai",
    "events-investments": "events/?kind=investment",
    "event-1": "events/1/",
    "event-investment": "events/2/",
    "deadlines": "deadlines/",
    "deadlines-ics-default": "deadlines.ics",
    "deadlines-all": "deadlines/?after=2020-01-01",
    "durations": "stats/review-durations/",
    "durations-by-regulator": "stats/review-durations/?group_by=regulator",
    "durations-by-outcome": "stats/review-durations/?group_by=outcome",
    "regulators-csv": "regulators/?format=csv",
    "parties-csv": "parties/?format=csv",
    "deals-csv": "deals/?format=csv",
    "reviews-csv": "reviews/?format=csv",
    "events-csv": "events/?format=csv",
    "timeline-csv": "deals/microsoft-openai/timeline/?format=csv",
    "review-1-events-csv": "reviews/1/events/?format=csv",
    "deadlines-csv": "deadlines/?format=csv&after=2020-01-01",
    "deadlines-ics": "deadlines.ics?after=2020-01-01",
}
OWN_URLS = {
    "subscriptions": "subscriptions/",
    "subscription-1": "subscriptions/1/",
    "webhooks": "webhooks/",
    "webhook-1": "webhooks/1/",
    "deliveries": "deliveries/",
    "deliveries-delivered": "deliveries/?state=delivered",
    "delivery-first": "deliveries/{delivery}/",
}


def normalised_json(data, uuids: dict[str, str]):
    if isinstance(data, dict):
        return {
            key: "<clock>"
            if key in CLOCK_FIELDS and value is not None
            else normalised_json(value, uuids)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [normalised_json(item, uuids) for item in data]
    if isinstance(data, str):
        return stable_uuids(data, uuids)
    return data


def stable_uuids(text: str, uuids: dict[str, str]) -> str:
    """Random UUIDs become <uuid-1>, <uuid-2>, ... in the order they are first seen."""
    return UUID.sub(lambda m: uuids.setdefault(m.group(0), f"<uuid-{len(uuids) + 1}>"), text)


def normalised_csv(text: str) -> str:
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        return text
    clock_columns = {i for i, name in enumerate(rows[0]) if name.rsplit(".", 1)[-1] in CLOCK_FIELDS}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(rows[0])
    for row in rows[1:]:
        writer.writerow(
            ["<clock>" if i in clock_columns and value else value for i, value in enumerate(row)]
        )
    return out.getvalue()


def snapshot_of(response, uuids: dict[str, str]) -> tuple[str, str]:
    """(file suffix, normalised text) of a response."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode("utf-8")
    content_type = response["Content-Type"]
    head = f"{response.status_code} {content_type}\n"
    if content_type.startswith("application/json"):
        data = normalised_json(json.loads(text), uuids)
        return "json", head + json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"
    if content_type.startswith("text/csv"):
        return "csv", head + normalised_csv(text)
    if content_type.startswith("text/calendar"):
        return "ics", head + ICS_CLOCK_LINES.sub(r"\1:<clock>", text.replace("\r\n", "\n"))
    raise AssertionError(f"no snapshot format for {content_type}")


@pytest.fixture
def demo_world(settings):
    """The demo data on a fresh database (ids from 1), written at FROZEN_NOW, with one
    reader who follows a deal by email and owns a webhook endpoint."""
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(FROZEN_NOW, tick=False):
        reader = UserFactory(username="reader", email="reader@example.org")
        own = APIClient()
        own.force_authenticate(reader)
        load_demo()
        # The demo's own cases are closed but for one; an annulment action on a demo deal stands
        # in for an open case with a deadline.
        runai = Review.objects.create(
            deal=Deal.objects.get(slug="nvidia-runai"),
            regulator=Regulator.objects.get(slug="ec"),
            reference="T-15/25",
            review_type="litigation",
            status=ReviewStatus.LITIGATION,
            opened_on=datetime.date(2025, 2, 28),
            stage="Action for annulment",
        )
        subscribed = own.post(
            f"{V1}/subscriptions/",
            {
                "deal": "nvidia-runai",
                "channels": ["email"],
                "event_kinds": ["status_change", "decision"],
            },
            format="json",
        )
        assert subscribed.status_code == 201, subscribed.content
        hooked = own.post(
            f"{V1}/webhooks/",
            {"url": "http://127.0.0.1:9/hook", "description": "ops"},
            format="json",
        )
        assert hooked.status_code == 201, hooked.content
        # Moves after subscribing (a delivery to log) and a second open review, both with
        # deadlines: one ahead of "now", one behind it.
        transition_review(
            review_id=runai.pk,
            to_status=ReviewStatus.REMEDIES,
            occurred_on=FROZEN_NOW.date(),
            title="Remedies offered",
            note="Commitments offered.",
            source_url="https://ec.europa.eu/competition/elojade/isef/case_details.cfm?proc_code=2_M_11766",
        )
        inflection = Review.objects.get(deal__slug="microsoft-inflection", regulator__slug="cma")
        assert inflection.status == ReviewStatus.CLEARED
        transition_review(
            review_id=inflection.pk,
            to_status=ReviewStatus.LITIGATION,
            occurred_on=FROZEN_NOW.date(),
            title="Appeal lodged",
            note="",
            source_type="court",
            source_url="https://www.catribunal.org.uk/cases",
        )
        Review.objects.filter(pk=runai.pk).update(
            next_deadline=datetime.date(2026, 6, 15),
            deadline_kind="statutory",
            deadline_basis="25 working days",
        )
        Review.objects.filter(pk=inflection.pk).update(
            next_deadline=datetime.date(2026, 4, 1), deadline_kind="manual"
        )
        yield own


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_every_read_endpoint_matches_its_snapshot(demo_world):
    public = APIClient()
    uuids: dict[str, str] = {}
    seen: dict[str, tuple[str, str]] = {}
    for name, path in PUBLIC_URLS.items():
        seen[name] = snapshot_of(public.get(f"{V1}/{path}"), uuids)
    for name, path in OWN_URLS.items():
        if "{delivery}" in path:
            first = demo_world.get(f"{V1}/deliveries/").json()["results"][0]["id"]
            path = path.format(delivery=first)
        seen[name] = snapshot_of(demo_world.get(f"{V1}/{path}"), uuids)

    differing = []
    for name, (suffix, text) in seen.items():
        path = SNAPSHOTS / f"{name}.{suffix}"
        if UPDATE:
            SNAPSHOTS.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            continue
        saved = path.read_text(encoding="utf-8") if path.exists() else ""
        if saved != text:
            differing.append((path.name, saved, text))
    stale = {p for p in SNAPSHOTS.glob("*.*") if p.stem not in seen}
    if UPDATE:
        for path in stale:
            path.unlink()
        return
    assert not stale, f"snapshots no endpoint produces any more: {sorted(p.name for p in stale)}"
    assert not differing, (
        f"responses differ from tests/api/snapshots/ for: {[name for name, _, _ in differing]}; if the change is "
        "deliberate, rewrite them with UPDATE_SNAPSHOTS=1 and review the diff. First difference:\n"
        + "".join(
            list(
                difflib.unified_diff(
                    differing[0][1].splitlines(keepends=True),
                    differing[0][2].splitlines(keepends=True),
                    f"saved/{differing[0][0]}",
                    f"now/{differing[0][0]}",
                )
            )[:60]
        )
    )
