"""The hand-built read representations must equal DRF's field-by-field rendering."""

import pytest
from django.db.models import F, Prefetch

from api.serializers import DealDetailSerializer, DealListSerializer, EventReadSerializer, ReviewReadSerializer
from api.views import DealViewSet, events_queryset
from tracker.demo import load_demo
from tracker.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()
    Review.objects.filter(deal__slug="nvidia-runai").update(next_deadline="2026-12-10", deadline_kind="estimated")


def test_review_fast_representation_matches_drf(demo):
    for review in Review.objects.select_related("deal", "regulator"):
        serializer = ReviewReadSerializer()
        assert serializer.fast_representation(review) == serializer.drf_representation(review)


def test_event_fast_representation_matches_drf(demo):
    for event in events_queryset():
        serializer = EventReadSerializer()
        assert serializer.fast_representation(event) == serializer.drf_representation(event), event.pk


@pytest.mark.parametrize("serializer_class", [DealListSerializer, DealDetailSerializer])
def test_deal_fast_representation_matches_drf(demo, serializer_class):
    # DRF walks the relations as prefetched here, in the order the API promises.
    reviews = Review.objects.select_related("regulator").order_by(F("opened_on").asc(nulls_last=True), "pk")
    deals = DealViewSet(action="list").get_queryset().prefetch_related(Prefetch("reviews", queryset=reviews))
    for deal in deals:
        serializer = serializer_class()
        assert serializer.fast_representation(deal) == serializer.drf_representation(deal), deal.slug
