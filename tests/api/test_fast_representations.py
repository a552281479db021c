"""The read plans' representations must equal DRF's field-by-field rendering, for every
fast read serializer, from instances and from `.values()` rows, nulls included."""

import datetime
import json
import random
from decimal import Decimal

import pytest
from django.db.models import Prefetch
from rest_framework import serializers

from api import serializers as api_serializers
from api.rows import ListRows, UnreadableField
from api.serializers import (
    DealDetailSerializer,
    DealListSerializer,
    DealPartySerializer,
    EventReadSerializer,
    FastReadMixin,
    ReviewReadSerializer,
    ReviewSummarySerializer,
)
from api.views import DealViewSet, events_queryset, reviews_queryset
from regulators.models import Court
from tests.factories import (
    DealFactory,
    DealPartyFactory,
    EventFactory,
    PartyFactory,
    RegulatorFactory,
    ReviewFactory,
)
from tracker.choices import DatePrecision, EventKind, Outcome, PartyRole, ReviewStatus
from tracker.demo import load_demo
from tracker.lifecycle import CLOSED_STATUSES
from tracker.models import Deal, Event, Review

pytestmark = pytest.mark.django_db


def fast_serializers() -> set[type]:
    found, todo = set(), [FastReadMixin]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__ == api_serializers.__name__:
                found.add(sub)
            todo.append(sub)
    return found


def reviews():
    return reviews_queryset().order_by("pk")


def deals():
    # DRF walks the relations as prefetched here, in the order the API promises.
    listed_reviews = Review.objects.select_related("deal", "regulator", "court").order_by(
        *ReviewSummarySerializer.row_order
    )
    return (
        DealViewSet(action="list")
        .get_queryset()
        .prefetch_related(Prefetch("reviews", queryset=listed_reviews))
    )


QUERYSETS = {
    ReviewSummarySerializer: reviews,
    ReviewReadSerializer: reviews,
    EventReadSerializer: lambda: events_queryset().order_by("pk"),
    DealListSerializer: deals,
    DealDetailSerializer: deals,
}


@pytest.fixture
def varied():
    """The demo data, plus rows whose optional values are all null or all set."""
    load_demo()
    Review.objects.filter(deal__slug="nvidia-runai").update(
        next_deadline="2026-12-10",
        deadline_kind="estimated",
        deadline_basis="Estimated from the filing.",
    )
    bare = DealFactory(
        slug="bare", announced_on=None, completed_on=None, value=None, sector="", summary=""
    )
    full = DealFactory(
        slug="full",
        announced_on=datetime.date(2024, 1, 1),
        announced_precision=DatePrecision.MONTH,
        completed_on=datetime.date(2024, 1, 1),
        completed_precision=DatePrecision.YEAR,
        value=Decimal("1234567.5"),
    )
    DealPartyFactory(deal=full, role="target")
    DealPartyFactory(deal=full, role="acquirer")
    undated = ReviewFactory(
        deal=bare, opened_on=None, status=ReviewStatus.MONITORING, stage="", url=""
    )
    court = Court.objects.create(
        name="District Court", short_name="D.D.C.", slug="ddc", jurisdiction="US"
    )
    litigated = ReviewFactory(
        deal=full,
        status=ReviewStatus.CLEARED,
        closed_on=datetime.date(2024, 9, 30),
        next_deadline=datetime.date(2024, 8, 1),
        deadline_kind="statutory",
        outcome=Outcome.JUDGMENT,
        outcome_wording="Dismissed",
        court=court,
        docket_number="1:24-cv-1",
        judge="Judge J.",
    )
    litigated.deals.add(bare)
    EventFactory(
        review=None, deal=bare, kind=EventKind.INVESTMENT, amount=Decimal("0.5"), currency="EUR"
    )
    EventFactory(review=undated, body="", source_url="", source_title="")
    EventFactory(
        review=litigated,
        deal=None,
        date_precision=DatePrecision.YEAR,
        source_type="court",
        source_read_on=datetime.date(2024, 10, 1),
    )


def test_every_fast_serializer_is_checked_here():
    assert fast_serializers() == set(QUERYSETS)


@pytest.mark.parametrize("serializer_class", sorted(QUERYSETS, key=lambda cls: cls.__name__))
def test_fast_representation_matches_drf(varied, serializer_class):
    objects = list(QUERYSETS[serializer_class]())
    assert objects
    serializer = serializer_class()
    for obj in objects:
        assert serializer.fast_representation(obj) == serializer.drf_representation(obj), obj.pk


@pytest.mark.parametrize("serializer_class", [ReviewSummarySerializer, EventReadSerializer])
def test_representation_from_a_row_matches_drf(varied, serializer_class):
    objects = {obj.pk: obj for obj in QUERYSETS[serializer_class]()}
    rows = QUERYSETS[serializer_class]().values("pk", *serializer_class.row_lookups())
    serializer = serializer_class()
    assert len(rows) == len(objects)
    for row in rows:
        assert serializer.to_representation(row) == serializer.drf_representation(
            objects[row["pk"]]
        ), row["pk"]


def test_a_deal_read_without_prefetching_reads_its_parties_and_reviews_as_rows(
    varied, django_assert_num_queries
):
    serializer = DealDetailSerializer()
    for expected in deals():
        deal = Deal.objects.with_total_committed().get(pk=expected.pk)
        with django_assert_num_queries(3):  # parties, reviews, their roles
            fast = serializer.fast_representation(deal)
        assert fast == serializer.drf_representation(expected), deal.slug


def test_lists_read_rows_their_nested_lists_included():
    assert "is_open" not in ReviewReadSerializer.row_lookups()  # derived from status, not a column
    assert EventReadSerializer.row_lookups()[:4] == (
        "id",
        "listed_deal_slug",
        "review_id",
        "review__regulator__slug",
    )
    assert ReviewSummarySerializer.row_lookups()  # a deal's reviews are read as rows
    assert "id" in ReviewReadSerializer.row_lookups()  # names each review as its deals' parent
    assert (
        "id" in DealListSerializer.row_lookups()
    )  # not shown: names each deal as its parties' parent


@pytest.fixture
def many_varied(varied):
    """Besides the varied rows, combinations drawn at random (with a fixed seed): deals
    with up to four parties in any roles, reviews by a regulator or in a court, open or
    closed with an outcome, with a deadline or not, covering up to three deals."""
    draw = random.Random(16)
    regulators = [
        RegulatorFactory(short_name=f"R{n}", jurisdiction=code)
        for n, code in enumerate(["GB", "EU", "US"])
    ]
    courts = [
        Court.objects.create(
            name=f"Court {n}", short_name=f"C{n}", slug=f"court-{n}", jurisdiction="US"
        )
        for n in range(2)
    ]
    parties = [
        PartyFactory(aliases=draw.choice(["", "Alias A, Alias B", " Spaced ,"])) for _ in range(6)
    ]
    deals = []
    for _ in range(12):
        deal = DealFactory(
            announced_on=draw.choice([None, datetime.date(2023, 2, 3)]),
            announced_precision=draw.choice(list(DatePrecision)),
            value=draw.choice([None, Decimal("0"), Decimal("12.34")]),
            sector=draw.choice(["", "Chips"]),
        )
        for party, role in zip(
            draw.sample(parties, draw.randint(0, 4)),
            draw.choices(list(PartyRole), k=4),
            strict=False,
        ):
            DealPartyFactory(deal=deal, party=party, role=role)
        deals.append(deal)
    for n in range(20):
        status = draw.choice(list(ReviewStatus))
        closed = status in CLOSED_STATUSES
        review = ReviewFactory(
            deal=draw.choice(deals),
            regulator=draw.choice(regulators),
            status=status,
            court=draw.choice([None, *courts]),
            opened_on=draw.choice([None, datetime.date(2024, 5, n + 1)]),
            outcome=draw.choice(list(Outcome)) if closed else "",
            outcome_wording=draw.choice(["", "In its own words"]) if closed else "",
            next_deadline=None if closed else draw.choice([None, datetime.date(2025, 1, n + 1)]),
            deadline_kind="" if closed else draw.choice(["", "statutory", "estimated"]),
        )
        for deal in draw.sample(deals, draw.randint(0, 2)):
            review.deals.add(deal)
        # An event of the review as a whole, of its deal alone, or of both.
        EventFactory(
            review=None if n % 3 == 1 else review,
            deal=None if n % 3 == 0 else review.deal,
            date_precision=draw.choice(list(DatePrecision)),
        )


ROW_LISTS = {
    ReviewReadSerializer: (reviews, "id"),
    DealListSerializer: (deals, "slug"),
    DealDetailSerializer: (deals, "slug"),
    ReviewSummarySerializer: (reviews, "id"),
    EventReadSerializer: (lambda: events_queryset().order_by("pk"), "id"),
}


def test_every_fast_serializer_is_read_from_rows_here():
    assert set(ROW_LISTS) == fast_serializers()


@pytest.mark.parametrize("serializer_class", sorted(ROW_LISTS, key=lambda cls: cls.__name__))
def test_a_list_of_rows_matches_drf_row_for_row(
    many_varied, serializer_class, django_assert_num_queries
):
    """The rows path (plain `.values()` rows, each nested list read for all of them in
    one query) gives exactly DRF's rendering of the instances, in the same order."""
    queryset, key = ROW_LISTS[serializer_class]
    instances = list(queryset())
    rows = list(queryset().prefetch_related(None).values(*serializer_class.row_lookups()))
    assert len(rows) == len(instances) > 20
    relations = len(serializer_class.read_plan().relations)
    with django_assert_num_queries(relations):
        listed = serializer_class(rows, many=True).data
    expected = [serializer_class().drf_representation(instance) for instance in instances]
    assert [json.dumps(item) for item in listed] == [
        json.dumps(item) for item in expected
    ]  # keys in order too
    assert len({item[key] for item in listed}) == len(listed)


def test_nested_lists_of_rows_hold_several_items_and_none(many_varied):
    rows = DealListSerializer(
        list(deals().prefetch_related(None).values(*DealListSerializer.row_lookups())), many=True
    ).data
    assert {len(deal["parties"]) for deal in rows} >= {0, 2, 3}
    covering = ReviewReadSerializer(
        list(reviews().prefetch_related(None).values(*ReviewReadSerializer.row_lookups())),
        many=True,
    ).data
    assert max(len(review["deals"]) for review in covering) >= 2
    assert {review["court"] is None for review in covering} == {True, False}


def test_a_field_added_to_the_declaration_is_read_and_shown(varied):
    class WithCreation(ReviewSummarySerializer):
        class Meta(ReviewSummarySerializer.Meta):
            fields = [*ReviewSummarySerializer.Meta.fields, "created_at"]

    assert "created_at" in WithCreation.row_lookups()
    review = reviews().first()
    row = Review.objects.values(*WithCreation.row_lookups()).get(pk=review.pk)
    serializer = WithCreation()
    assert serializer.to_representation(row) == serializer.drf_representation(review)
    assert serializer.to_representation(row)["created_at"].endswith("Z")


def test_a_field_the_plan_cannot_read_fails_when_compiled():
    class WithMethod(FastReadMixin, serializers.ModelSerializer):
        shout = serializers.SerializerMethodField()

        class Meta:
            model = Event
            fields = ["id", "shout"]

        def get_shout(self, obj) -> str:
            return obj.title.upper()

    with pytest.raises(UnreadableField, match="shout"):
        WithMethod.row_lookups()


def test_a_nested_object_over_a_relation_that_may_be_null_reads_null_as_null(varied):
    class WithReview(FastReadMixin, serializers.ModelSerializer):
        review = ReviewSummarySerializer(allow_null=True)

        class Meta:
            model = Event
            fields = ["id", "review"]

    assert "review__pk" in WithReview.row_lookups()
    serializer = WithReview()
    events = {
        event.pk: event
        for event in events_queryset().select_related("review__deal", "review__court")
    }
    rows = Event.objects.values(*WithReview.row_lookups())
    assert any(row["review__pk"] is None for row in rows) and any(row["review__pk"] for row in rows)
    for row in rows:
        assert serializer.to_representation(row) == serializer.drf_representation(
            events[row["id"]]
        ), row["id"]


def test_dates_are_served_at_their_precision(varied):
    full = DealListSerializer().fast_representation(deals().get(slug="full"))
    assert (full["announced_on"], full["announced_precision"]) == ("2024-01", "month")
    assert (full["completed_on"], full["completed_precision"]) == ("2024", "year")
    yearly = events_queryset().get(date_precision=DatePrecision.YEAR)
    assert EventReadSerializer().fast_representation(yearly)["occurred_on"] == "2024"
    assert (
        EventReadSerializer().fast_representation(yearly)["deal"] == "full"
    )  # the review's lead deal


def test_parties_are_listed_in_one_order_by_list_and_detail(varied):
    full = deals().get(slug="full")
    listed = DealListSerializer().fast_representation(full)["parties"]
    detailed = DealDetailSerializer().fast_representation(
        Deal.objects.with_total_committed().get(slug="full")
    )
    assert listed == detailed["parties"] == DealListSerializer().drf_representation(full)["parties"]
    assert [party["role"] for party in listed] == sorted(party["role"] for party in listed)
    assert DealPartySerializer.row_order == ("role", "pk")


@pytest.mark.parametrize("serializer_class", sorted(ROW_LISTS, key=lambda cls: cls.__name__))
def test_a_page_of_rows_read_by_ids_from_the_kept_statement_is_the_orms(
    many_varied, serializer_class
):
    """A page read by its ids (deep pages, cursor pages, ranked searches) runs one statement
    compiled once per list, with what the ORM converts after reading converted too (the
    deals' total committed); the rows are the ORM's `.values()` rows, keys in order."""
    for deal in Deal.objects.all()[:3]:
        EventFactory(
            review=None, deal=deal, kind=EventKind.INVESTMENT, amount=Decimal("2750000000.50")
        )
    queryset, _ = ROW_LISTS[serializer_class]
    lookups = serializer_class.row_lookups()
    expected = {
        row["id"] if "id" in row else row["slug"]: row
        for row in queryset().prefetch_related(None).values(*lookups)
    }
    ids = list(queryset().values_list("pk", flat=True))
    reader = ListRows(("test", serializer_class), queryset, lookups)
    read = reader.read(ids, "default")
    assert (
        ListRows.statements[(("test", serializer_class), "default")] is not None
    )  # not the ORM's fallback
    assert len(read) == len(expected) > 20
    for row in read:
        assert list(row.items()) == list(
            expected[row["id"] if "id" in row else row["slug"]].items()
        )
    if serializer_class is DealListSerializer:
        assert {row["total_committed"] for row in read} >= {Decimal("2750000000.50"), None}
