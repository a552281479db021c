from decimal import Decimal

import pytest
from django.core.management import call_command

from regulators.models import Regulator
from tracker.choices import EventKind, ReviewStatus
from tracker.demo import load_demo
from tracker.models import Deal, DealParty, Event, Party, Review

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in (Regulator, Party, Deal, DealParty, Review, Event)
    } | {"statuses": sorted(Review.objects.values_list("pk", "status", "stage", "outcome", "closed_on"))}


def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    first = snapshot()
    history_rows = Review.history.count()
    call_command("load_demo")
    assert snapshot() == first
    assert Review.history.count() == history_rows
    assert "nothing changed" in capsys.readouterr().out


def test_demo_holds_the_main_regulators_and_the_ai_deals():
    report = load_demo()
    assert not report.warnings
    assert {"ftc", "doj", "cma", "ec", "bkarta"} <= set(Regulator.objects.values_list("slug", flat=True))
    assert Deal.objects.count() == 6
    assert Review.objects.count() == 13
    assert Event.objects.count() == 48
    assert Review.objects.filter(regulator__slug="cma").count() == 5


def test_every_demo_event_keeps_its_source():
    load_demo()
    assert not Event.objects.filter(source_url="").exists()


def test_amazon_anthropic_total_committed_is_13_billion():
    load_demo()
    deal = Deal.objects.with_total_committed().get(slug="amazon-anthropic")
    assert deal.total_committed == Decimal("13000000000")
    tranches = list(
        Event.objects.filter(deal=deal, kind=EventKind.INVESTMENT).order_by("occurred_on").values_list("amount", flat=True)
    )
    running = [sum(tranches[: i + 1]) for i in range(len(tranches))]
    assert running == [Decimal(x) for x in ("1250000000", "4000000000", "8000000000", "13000000000")]


def test_cma_amazon_anthropic_timeline_is_replayed_through_the_service():
    load_demo()
    review = Review.objects.get(deal__slug="amazon-anthropic", regulator__slug="cma")
    assert review.status == ReviewStatus.CLOSED
    assert review.outcome == "Found not to qualify"
    changes = list(
        Event.objects.filter(review=review, kind=EventKind.STATUS_CHANGE)
        .order_by("occurred_on")
        .values_list("from_status", "to_status", "occurred_on")
    )
    assert [(a, b, str(d)) for a, b, d in changes] == [
        ("pre_notification", "phase_1", "2024-08-08"),
        ("phase_1", "closed", "2024-09-27"),
    ]
