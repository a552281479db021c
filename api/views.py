"""Viewsets of the v1 API: thin, reading through querysets, writing through services."""

from __future__ import annotations

from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from regulators.models import Court, Regulator
from tracker.models import Deal, DealParty, Event, Party, Review, ReviewDeal
from tracker.services import TransitionNotAllowed, transition_review

from . import filtersets
from .exceptions import PreconditionFailed
from .filter_backends import StrictDjangoFilterBackend
from .mixins import (
    CSVStreamingListMixin,
    ETagRetrieveMixin,
    ETagUpdateMixin,
    RepresentationMixin,
    etag_of,
    if_match_satisfied,
)
from .pagination import EventFeedPagination, PagePagination
from .permissions import EditorsWriteOrReadOnly, ReviewTransitionPermission, StaffWriteOrReadOnly
from .response_cache import kept_read
from .serializers import (
    CourtSerializer,
    CoveredDealSerializer,
    DealDetailSerializer,
    DealListSerializer,
    DealPartySerializer,
    DealWriteSerializer,
    EventReadSerializer,
    EventWriteSerializer,
    PartyReadSerializer,
    PartyWriteSerializer,
    ProceedingRoleSerializer,
    RegulatorSerializer,
    ReviewReadSerializer,
    ReviewSummarySerializer,
    ReviewWriteSerializer,
    TransitionSerializer,
)

ID_REGEX = r"[0-9]{1,18}"


# Stored search documents are read by the database only, never shown: not fetched.
UNREAD = "search_document"


def events_queryset():
    # An event shows two slugs of related rows, read as columns of its own row: no related
    # instance is built. `listed_deal_slug`: the event's own deal, else its review's lead
    # deal (Event.listed_deal); `regulator_slug`: its review's regulator.
    return Event.objects.annotate(
        listed_deal_slug=Coalesce("deal__slug", "review__deal__slug"),
        regulator_slug=F("review__regulator__slug"),
    ).defer(UNREAD)


def reviews_queryset():
    # Every deal covered, in the order they were added (the lead deal first: it is covered
    # from the moment the review is made); one query for a whole page.
    return (
        Review.objects.select_related("deal", "regulator", "court")
        .defer(UNREAD, f"deal__{UNREAD}")
        .prefetch_related(
            Prefetch(
                "deal_links",
                queryset=ReviewDeal.objects.select_related("deal")
                .defer(f"deal__{UNREAD}")
                .order_by(*CoveredDealSerializer.row_order),
            )
        )
    )


class APIViewSet(CSVStreamingListMixin, RepresentationMixin, viewsets.GenericViewSet):
    """Read and write serializers kept apart; the write side answers with the read shape.

    Only public data: the same for every reader, so its reads are kept (api.response_cache)."""

    permission_classes = [EditorsWriteOrReadOnly]
    pagination_class = PagePagination
    read_serializer_class = None
    write_serializer_class = None

    def filter_list(self, queryset):
        """A list served by a detail action (a deal's timeline), filtered as strictly as a list."""
        return StrictDjangoFilterBackend().filter_list(self.request, queryset, self)

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"} and self.write_serializer_class:
            return self.write_serializer_class
        return self.read_serializer_class

    @kept_read
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)


class ReadWriteViewSet(APIViewSet, ETagRetrieveMixin, ETagUpdateMixin, mixins.ListModelMixin):
    """List, read, create and update; no delete through the API."""

    @kept_read
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instance = serializer.save()
        data = self.representation(self.get_queryset().get(pk=instance.pk))
        return Response(data, status=status.HTTP_201_CREATED, headers={"ETag": etag_of(data)})


@extend_schema_view(
    list=extend_schema(summary="List regulators"), retrieve=extend_schema(summary="A regulator")
)
class RegulatorViewSet(ReadWriteViewSet):
    """Competition authorities. Anyone reads them; staff users create and edit them."""

    queryset = Regulator.objects.order_by("short_name")
    read_serializer_class = RegulatorSerializer
    filterset_class = filtersets.RegulatorFilter
    permission_classes = [StaffWriteOrReadOnly]
    lookup_field = "slug"


@extend_schema_view(
    list=extend_schema(summary="List courts"), retrieve=extend_schema(summary="A court")
)
class CourtViewSet(ReadWriteViewSet):
    """Courts that hear competition cases. Anyone reads them; staff users create and edit them."""

    queryset = Court.objects.order_by("jurisdiction", "name")
    read_serializer_class = CourtSerializer
    filterset_class = filtersets.CourtFilter
    permission_classes = [StaffWriteOrReadOnly]
    lookup_field = "slug"


class PartyViewSet(ReadWriteViewSet):
    """Organisations that take part in deals."""

    queryset = Party.objects.defer(UNREAD).order_by("name")
    read_serializer_class = PartyReadSerializer
    write_serializer_class = PartyWriteSerializer
    filterset_class = filtersets.PartyFilter
    lookup_field = "slug"


class DealViewSet(ReadWriteViewSet):
    """Deals with their parties, total committed value and reviews."""

    lookup_field = "slug"
    filterset_class = filtersets.DealFilter
    write_serializer_class = DealWriteSerializer

    def get_queryset(self):
        if self.action == "timeline":
            return Deal.objects.only("pk", "slug")  # only the deal's id is needed
        queryset = (
            Deal.objects.with_total_committed()
            .defer(UNREAD)
            .order_by("-announced_on", "title", "pk")
        )
        parties = Prefetch(
            "deal_parties",
            queryset=DealParty.objects.select_related("party")
            .defer(f"party__{UNREAD}")
            .order_by(*DealPartySerializer.row_order),
        )
        if self.action == "list":
            return queryset.prefetch_related(parties)
        reviews = Prefetch(
            "reviews",
            queryset=Review.objects.select_related("deal", "regulator", "court")
            .defer(UNREAD, f"deal__{UNREAD}")
            .order_by(*ReviewSummarySerializer.row_order),
        )
        roles = Prefetch(
            "review_links",
            queryset=ReviewDeal.objects.order_by(*ProceedingRoleSerializer.row_order),
        )
        return queryset.prefetch_related(parties, reviews, roles)

    @property
    def read_serializer_class(self):
        return DealListSerializer if self.action in {"list", "timeline"} else DealDetailSerializer

    @extend_schema(
        summary="Every event of the deal, across regulators, by date",
        responses=EventReadSerializer(many=True),
        filters=True,
    )
    @action(detail=True, methods=["get"], filterset_class=filtersets.EventWithinFilter)
    @kept_read
    def timeline(self, request, slug=None):
        deal = self.get_object()
        events = self.filter_list(
            events_queryset().on_timeline_of(deal).order_by("occurred_on", "id")
        )
        return self.list_or_csv(events, EventReadSerializer, f"{deal.slug}-timeline.csv")


class ReviewViewSet(ReadWriteViewSet):
    """One regulator's or court's proceeding, identified by its regulator and reference. It
    may cover several deals (`deals`; `deal` is the lead deal). Status and outcome move only
    through `transition`."""

    filterset_class = filtersets.ReviewFilter
    read_serializer_class = ReviewReadSerializer
    write_serializer_class = ReviewWriteSerializer
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        # Undated reviews first, as PostgreSQL (and the index) order them, on SQLite too.
        newest_first = (F("opened_on").desc(nulls_first=True), "-id")
        if self.action == "events":
            return Review.objects.only("pk")  # only the review's id is needed
        return reviews_queryset().order_by(*newest_first)

    @extend_schema(
        summary="Move the review to another status",
        request=TransitionSerializer,
        responses={
            200: ReviewReadSerializer,
            400: OpenApiResponse(
                description="Missing or malformed field (source_url is required), an outcome the new status "
                "cannot carry, or a move the lifecycle forbids."
            ),
            412: OpenApiResponse(description="If-Match does not match the review's current ETag."),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[ReviewTransitionPermission],
        filterset_class=None,
    )
    def transition(self, request, pk=None):
        review = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if_match = request.headers.get("If-Match")

        def still_current(locked):
            if if_match is not None and not if_match_satisfied(
                if_match, etag_of(self.representation(locked))
            ):
                raise PreconditionFailed()

        try:
            transition_review(
                review_id=review.pk,
                to_status=data["status"],
                occurred_on=data["occurred_on"],
                title=data["title"],
                note=data["note"],
                source_url=data["source_url"],
                source_title=data["source_title"],
                source_type=data["source_type"],
                stage=data.get("stage"),
                outcome=data.get("outcome"),
                outcome_wording=data.get("outcome_wording"),
                user=request.user,
                precondition=still_current,
            )
        except TransitionNotAllowed as exc:
            raise ValidationError({"status": [str(exc)]}) from exc
        fresh = self.get_queryset().get(pk=review.pk)
        body = self.representation(fresh)
        return Response(body, headers={"ETag": etag_of(body)})

    @extend_schema(
        summary="The review's events, by date",
        responses=EventReadSerializer(many=True),
        filters=True,
    )
    @action(detail=True, methods=["get"], filterset_class=filtersets.EventWithinFilter)
    @kept_read
    def events(self, request, pk=None):
        review = self.get_object()
        queryset = self.filter_list(
            events_queryset().filter(review=review).order_by("occurred_on", "id")
        )
        return self.list_or_csv(queryset, EventReadSerializer, f"review-{review.pk}-events.csv")


class EventViewSet(ReadWriteViewSet):
    """The feed of events, newest first, cursor-paginated; `since` for polling clients.

    An event of a review as a whole (a status change) has no deal of its own: `deal` shows
    the review's lead deal, and the `deal` filter finds it under every deal the review covers."""

    filterset_class = filtersets.EventFilter
    read_serializer_class = EventReadSerializer
    write_serializer_class = EventWriteSerializer
    pagination_class = EventFeedPagination
    lookup_value_regex = ID_REGEX

    def get_queryset(self):
        return events_queryset().order_by("-occurred_on", "-id")
