"""Read-only views over computed data: upcoming deadlines and review-duration statistics."""

from __future__ import annotations

import django_filters as filters
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.choices import DealRole, ReviewType
from tracker.lifecycle import OPEN_STATUSES
from tracker.models import Deal, Review
from tracker.stats import DURATION_COLUMNS, GROUPINGS, review_durations

from .filter_backends import general_parameters, refuse_unknown_parameters
from .filtersets import CodeInFilter, CoveredDealFilter, SlugInFilter
from .serializers import DealRefSerializer, RegulatorRefSerializer
from .views import APIViewSet


class DeadlineFilter(filters.FilterSet):
    regulator = SlugInFilter(
        field_name="regulator__slug", help_text="Regulator slugs, comma-separated."
    )
    jurisdiction = CodeInFilter(
        field_name="regulator__jurisdiction", help_text="ISO codes, comma-separated."
    )
    deal = CoveredDealFilter(help_text="Deal slugs, comma-separated: reviews covering any of them.")
    after = filters.DateFilter(
        field_name="next_deadline",
        lookup_expr="gte",
        help_text="Deadlines on or after this date (default: today).",
    )
    before = filters.DateFilter(
        field_name="next_deadline", lookup_expr="lte", help_text="Deadlines on or before."
    )

    class Meta:
        model = Review
        fields: list[str] = []

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("after"):
            queryset = queryset.filter(next_deadline__gte=timezone.localdate())
        return queryset


class DeadlineSerializer(serializers.ModelSerializer):
    review = serializers.IntegerField(source="pk")
    deal = DealRefSerializer()
    regulator = RegulatorRefSerializer()
    deadline = serializers.DateField(source="next_deadline")
    kind = serializers.CharField(source="deadline_kind")
    basis = serializers.CharField(source="deadline_basis")

    class Meta:
        model = Review
        fields = [
            "review",
            "deal",
            "regulator",
            "reference",
            "status",
            "stage",
            "deadline",
            "kind",
            "basis",
        ]


class DeadlineViewSet(APIViewSet, mixins.ListModelMixin):
    """Upcoming statutory deadlines of open reviews, soonest first."""

    queryset = (
        Review.objects.filter(status__in=OPEN_STATUSES, next_deadline__isnull=False)
        .select_related("deal", "regulator")
        .order_by("next_deadline", "pk")
    )
    read_serializer_class = DeadlineSerializer
    filterset_class = DeadlineFilter


class ReviewDurationsView(APIView):
    """Days from opening to closing of closed reviews: count, quartiles and range per group."""

    permission_classes = [permissions.AllowAny]  # read-only: GET is its only method

    filters = {
        "regulator": "regulator__slug__in",
        "jurisdiction": "regulator__jurisdiction__in",
        "review_type": "review_type__in",
    }

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "group_by",
                str,
                description="Comma-separated subset of regulator, review_type, outcome (the outcome code; "
                "an empty outcome groups the closed reviews without one).",
            ),
            OpenApiParameter("regulator", str, description="Regulator slugs, comma-separated."),
            OpenApiParameter("jurisdiction", str, description="ISO codes, comma-separated."),
            OpenApiParameter("review_type", str, description="Review types, comma-separated."),
            OpenApiParameter(
                "deal",
                str,
                description="A deal's slug: only the proceedings that review it (not a study that "
                "covers it, nor a case whose remedy reaches it).",
            ),
            OpenApiParameter("closed_after", str, description="YYYY-MM-DD"),
            OpenApiParameter("closed_before", str, description="YYYY-MM-DD"),
        ],
        responses=inline_serializer(
            "ReviewDurations",
            {
                "group_by": serializers.ListField(child=serializers.CharField()),
                "results": serializers.ListField(child=serializers.DictField()),
            },
        ),
        summary="Median and quartiles of review durations",
    )
    def get(self, request):
        params = request.query_params
        refuse_unknown_parameters(
            params,
            {
                "group_by",
                "closed_after",
                "closed_before",
                "deal",
                *self.filters,
                *general_parameters(self),
            },
        )
        group_by = [g for g in params.get("group_by", ",".join(GROUPINGS)).split(",") if g]
        bad = [g for g in group_by if g not in GROUPINGS]
        if bad or not group_by:
            raise ValidationError({"group_by": [f"Choose from {', '.join(GROUPINGS)}."]})
        reviews = Review.objects.all()
        for name, lookup in self.filters.items():
            if params.get(name):
                values = params[name].split(",")
                if name == "review_type" and set(values) - set(ReviewType.values):
                    raise ValidationError({name: [f"Choose from {', '.join(ReviewType.values)}."]})
                reviews = reviews.filter(**{lookup: values})
        if params.get("deal"):
            if not Deal.objects.filter(slug=params["deal"]).exists():
                raise ValidationError({"deal": [f"No deal with the slug {params['deal']!r}."]})
            reviews = reviews.filter(
                deal_links__deal__slug=params["deal"], deal_links__role=DealRole.REVIEWS
            )
        for name, lookup in (
            ("closed_after", "closed_on__gte"),
            ("closed_before", "closed_on__lte"),
        ):
            if params.get(name):
                field = serializers.DateField()
                try:
                    reviews = reviews.filter(**{lookup: field.to_internal_value(params[name])})
                except serializers.ValidationError as exc:
                    raise ValidationError({name: exc.detail}) from exc
        self.group_by = group_by
        return Response({"group_by": group_by, "results": review_durations(reviews, group_by)})

    def csv_columns(self) -> list[str]:
        """The CSV header, also of a report with no rows."""
        return [*getattr(self, "group_by", ()), *DURATION_COLUMNS]
