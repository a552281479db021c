"""The demo's provenance is what its sources say: a read date only where one was recorded, a
status change dated when it happened, and every status change or decision on an official page."""

import datetime
import json

import pytest
import time_machine
from django.utils import timezone

from tests.factories import SOURCE_URL, ReviewFactory
from tracker.choices import EventKind, ReviewStatus, SourceType
from tracker.demo import DATA_FILE, load_demo, partial_date
from tracker.models import Event, Review
from tracker.services import transition_review

LOAD_DAY = datetime.date(2026, 12, 7)


def _recorded_read_dates() -> set[tuple[str, datetime.date]]:
    """(source URL, read date) for every demo entry that records when its source was read."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    entries = [e for deal in data["deals"] for e in deal.get("events", [])]
    entries += [e for row in data["proceedings"] for e in row["timeline"]]
    return {
        (e["source"]["url"], partial_date(e["source"]["read_on"])[0])
        for e in entries
        if e.get("source", {}).get("read_on")
    }


@pytest.fixture
def loaded_demo(db):
    with time_machine.travel(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)):
        load_demo()


def test_no_demo_event_claims_a_read_date_nobody_recorded(loaded_demo):
    recorded = _recorded_read_dates()
    claimed = set(
        Event.objects.exclude(source_read_on=None).values_list("source_url", "source_read_on")
    )
    assert claimed <= recorded, sorted(claimed - recorded)[:5]
    assert not Event.objects.filter(source_read_on=LOAD_DAY).exists()


def test_demo_status_changes_and_decisions_cite_a_regulator_or_court_page(loaded_demo):
    official = Event.objects.filter(kind__in=[EventKind.STATUS_CHANGE, EventKind.DECISION])
    assert official.count() > 20
    unsourced = [
        (e.review_id, e.occurred_on, e.title, e.source_type, e.source_url)
        for e in official
        if e.source_type not in (SourceType.REGULATOR, SourceType.COURT)
        or not e.source_url.startswith("https://")
    ]
    assert unsourced == []


def test_a_demo_review_changed_status_when_its_last_status_change_happened(loaded_demo):
    reviews = Review.objects.exclude(status_changed_at=None)
    assert reviews.count() > 10
    for review in reviews:
        last = review.events.filter(kind=EventKind.STATUS_CHANGE).order_by("-occurred_on").first()
        changed_on = timezone.localtime(review.status_changed_at).date()
        assert changed_on == last.occurred_on, (str(review), changed_on, last.occurred_on)
        assert changed_on < LOAD_DAY


@pytest.mark.django_db
def test_a_status_change_happened_on_its_day_or_now_when_it_is_todays():
    at = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=datetime.UTC)
    with time_machine.travel(at, tick=False):
        late = ReviewFactory(status=ReviewStatus.PHASE_1, opened_on=datetime.date(2024, 7, 1))
        transition_review(
            review_id=late.pk,
            to_status=ReviewStatus.CLEARED,
            occurred_on=datetime.date(2024, 9, 4),
            source_url=SOURCE_URL,
        )
        fresh = ReviewFactory(status=ReviewStatus.PHASE_1, opened_on=datetime.date(2026, 11, 2))
        transition_review(
            review_id=fresh.pk,
            to_status=ReviewStatus.CLEARED,
            occurred_on=LOAD_DAY,
            source_url=SOURCE_URL,
        )
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert timezone.localtime(late.status_changed_at).date() == datetime.date(2024, 9, 4)
    assert fresh.status_changed_at == at
