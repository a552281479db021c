"""Micro-benchmark of the read serializers, in one process, on an in-memory SQLite database.

    python bench/serializers.py [--repeat 7] [--number 200]

Times the Python side of a list page (rows read with `.values()` once, then mapped to
dicts: 50 and 200 rows of reviews and events), a page of deals (instances with their
parties prefetched) and one deal's detail (its two small queries included). Prints the
best of `--repeat` runs, in microseconds per call, as JSON.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import timeit
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.pop("DATABASE_URL", None)  # the test database below is SQLite in memory
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
django.setup()

from django.db import connection
from django.test.utils import setup_test_environment

from api.serializers import (
    DealDetailSerializer,
    DealListSerializer,
    EventReadSerializer,
    ReviewReadSerializer,
)
from api.views import DealViewSet, ReviewViewSet, events_queryset
from regulators.models import Regulator
from tracker.choices import EventKind
from tracker.models import Deal, DealParty, Event, Party, Review

DEALS = 50
REGULATORS = 5


def build() -> None:
    regulators = [
        Regulator.objects.create(
            slug=f"reg-{i}", short_name=f"R{i}", name=f"Regulator {i}", jurisdiction="EU"
        )
        for i in range(REGULATORS)
    ]
    parties = [
        Party.objects.create(slug=f"party-{i}", name=f"Party {i}", country="US") for i in range(20)
    ]
    start = datetime.date(2024, 1, 1)
    for i in range(DEALS):
        deal = Deal.objects.create(
            slug=f"deal-{i}",
            title=f"Deal {i}",
            deal_type="minority_investment",
            status="announced",
            announced_on=start + datetime.timedelta(days=i),
            value=Decimal("1000000.50") if i % 2 else None,
            currency="USD",
            sector="AI",
            summary="A deal.",
        )
        DealParty.objects.create(deal=deal, party=parties[i % 20], role="acquirer")
        DealParty.objects.create(deal=deal, party=parties[(i + 1) % 20], role="target")
        for j, regulator in enumerate(regulators):
            review = Review.objects.create(
                deal=deal,
                regulator=regulator,
                reference=f"M.{i}.{j}",
                review_type="merger_control",
                status="phase_1" if j % 2 else "cleared",
                stage="Phase 1",
                opened_on=start + datetime.timedelta(days=i + j) if j != 4 else None,
                closed_on=start + datetime.timedelta(days=i + 90) if j % 2 == 0 else None,
                next_deadline=start + datetime.timedelta(days=i + 30) if j % 2 else None,
                deadline_kind="statutory" if j % 2 else "",
            )
            Event.objects.create(
                deal=deal,
                review=review if j % 2 else None,
                kind=EventKind.INVESTMENT if j == 0 else EventKind.FILING,
                occurred_on=start + datetime.timedelta(days=i + j),
                title=f"Event {i}.{j}",
                body="Body.",
                amount=Decimal("250.00") if j == 0 else None,
                currency="USD" if j == 0 else "",
            )


def rows_of(queryset, serializer_class, n: int) -> list[dict]:
    # Serializers before read plans named their lookups `row_fields`: the same script times both.
    if hasattr(serializer_class, "row_lookups"):
        lookups = serializer_class.row_lookups()
    else:
        lookups = serializer_class.row_fields
    return list(queryset.values(*lookups)[:n])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--number", type=int, default=200)
    args = parser.parse_args()

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    build()

    reviews = ReviewViewSet(action="list").get_queryset()
    review_rows = rows_of(reviews, ReviewReadSerializer, 200)
    event_rows = rows_of(
        events_queryset().order_by("-occurred_on", "-id"), EventReadSerializer, 200
    )
    deals = list(DealViewSet(action="list").get_queryset()[:50])
    deal = DealViewSet(action="retrieve").get_queryset().get(slug="deal-7")

    cases = {
        "reviews, 50 rows": lambda: ReviewReadSerializer(review_rows[:50], many=True).data,
        "reviews, 200 rows": lambda: ReviewReadSerializer(review_rows, many=True).data,
        "events, 50 rows": lambda: EventReadSerializer(event_rows[:50], many=True).data,
        "events, 200 rows": lambda: EventReadSerializer(event_rows, many=True).data,
        "deals, 50 instances": lambda: DealListSerializer(deals, many=True).data,
        "deal detail (2 queries)": lambda: DealDetailSerializer(deal).data,
    }
    results = {}
    for name, call in cases.items():
        number = max(1, args.number // 10) if "detail" in name else args.number
        best = min(timeit.repeat(call, number=number, repeat=args.repeat)) / number
        results[name] = round(best * 1e6, 1)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
