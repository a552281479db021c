"""django-filter filtersets of every list endpoint.

Relations filter by slug (and reviews by id); several values are comma-separated;
date ranges are inclusive. Numbers are bounded so absurd input is a 400, not an
overflow in the database driver.
"""

from __future__ import annotations

from decimal import Decimal

import django_filters as filters
from django.db.models import Q, Subquery
from django_filters.fields import IsoDateTimeField

from regulators.models import Court, Regulator
from tracker import search
from tracker.choices import (
    DealStatus,
    DealType,
    EventKind,
    Outcome,
    ReviewStatus,
    ReviewType,
    SourceType,
)
from tracker.lifecycle import CLOSED_STATUSES, DECISION_STATUSES, OPEN_STATUSES
from tracker.models import Deal, Event, Party, Review, ReviewDeal

from .validators import storable_datetime

MAX_ID = 2**63 - 1
MAX_VALUE = Decimal("1e16")


class StorableIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 instant, in UTC, that PostgreSQL can compare (see api.validators)."""

    def to_python(self, value):
        return storable_datetime(super().to_python(value))


class StorableIsoDateTimeFilter(filters.IsoDateTimeFilter):
    """Every datetime filter of the API: an offset or instant out of range is a 400."""

    field_class = StorableIsoDateTimeField


class ChoiceInFilter(filters.BaseInFilter, filters.ChoiceFilter):
    """`?status=phase_1,phase_2`: each value checked against the vocabulary."""


class EventKindFilter(ChoiceInFilter):
    """`?kind=decision,filing`; "decision" also finds the status changes that decide a
    proceeding (a clearance, a prohibition, a finding that a deal does not qualify)."""

    def filter(self, qs, value):
        if not value:
            return qs
        wanted = Q(kind__in=value)
        if EventKind.DECISION in value:
            wanted |= Q(kind=EventKind.STATUS_CHANGE, to_status__in=DECISION_STATUSES)
        return qs.filter(wanted)


class SlugInFilter(filters.BaseInFilter, filters.CharFilter):
    """`?regulator=cma,ec`; slugs are lower-case, so `?regulator=CMA` finds the same."""

    def filter(self, qs, value):
        return super().filter(qs, [v.lower() for v in value] if value else value)


class CodeInFilter(filters.BaseInFilter, filters.CharFilter):
    """`?jurisdiction=GB,EU`: ISO codes are upper-case, so `gb` finds the same."""

    def filter(self, qs, value):
        return super().filter(qs, [v.upper() for v in value] if value else value)


class RelatedSlugInFilter(SlugInFilter):
    """`?regulator=cma` on a foreign key, by the relation's id.

    One slug becomes `regulator_id = (SELECT id ... WHERE slug = 'cma')`, which
    PostgreSQL answers from an index on (regulator, list order) and stops after a page,
    where a join on the slug would collect and sort every match first.
    """

    def __init__(self, relation: str, related_model, **kwargs):
        self.relation = relation
        self.related_model = related_model
        super().__init__(field_name=f"{relation}__slug", **kwargs)

    def filter(self, qs, value):
        if value and len(value) == 1:
            related_id = Subquery(
                self.related_model.objects.filter(slug=value[0].lower()).order_by().values("pk")[:1]
            )
            return qs.filter(**{f"{self.relation}_id": related_id})
        return super().filter(qs, value)


def covered_reviews(**deal_lookup):
    """The ids of the reviews covering the deals `deal_lookup` selects (a subquery)."""
    return ReviewDeal.objects.filter(**deal_lookup).values("review_id")


class CoveredDealFilter(SlugInFilter):
    """`?deal=a,b` on reviews: those covering any of the deals, whichever deal leads them.
    A subquery rather than a join, so a review covering two of them is listed once."""

    def __init__(self, **kwargs):
        super().__init__(field_name="deals__slug", **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(pk__in=covered_reviews(deal__slug__in=value))


class CoveredDealIdFilter(filters.NumberFilter):
    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        return qs.filter(pk__in=covered_reviews(deal_id=value))


class CoveredPartyFilter(SlugInFilter):
    """`?party=a,b` on reviews: those covering a deal of any of the parties."""

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(pk__in=covered_reviews(deal__parties__slug__in=value))


class TimelineDealFilter(SlugInFilter):
    """`?deal=a,b` on events: every event on those deals' timelines (Event.objects.on_timeline_of):
    their own, and those of the reviews covering them that belong to the review as a whole."""

    def __init__(self, **kwargs):
        super().__init__(field_name="deal__slug", **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(
            Q(deal__slug__in=value)
            | Q(deal__isnull=True, review__in=covered_reviews(deal__slug__in=value))
        )


def id_filter(field_name: str, help_text: str):
    return filters.NumberFilter(
        field_name=field_name, min_value=1, max_value=MAX_ID, decimal_places=0, help_text=help_text
    )


def money_filter(lookup: str, help_text: str):
    return filters.NumberFilter(
        field_name="value",
        lookup_expr=lookup,
        min_value=0,
        max_value=MAX_VALUE,
        max_digits=20,
        decimal_places=2,
        help_text=help_text,
    )


class TextSearchFilter(filters.CharFilter):
    """`q`: every word must match one of the given fields (case-insensitive)."""

    def __init__(self, *fields: str, **kwargs):
        self.search_fields = fields
        kwargs.setdefault("help_text", f"Free text, matched against {', '.join(fields)}.")
        kwargs.setdefault("max_length", 200)
        super().__init__(method=self.search, **kwargs)

    def search(self, queryset, name, value: str):
        for word in value.split()[:10]:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset


class ListOrderingFilter(filters.OrderingFilter):
    """`ordering`, where a value of only commas (`?ordering=,`) keeps the list's own order
    instead of clearing it (an unordered page can repeat or skip rows between pages)."""

    def filter(self, qs, value):
        value = [part for part in value or [] if part]
        return super().filter(qs, value or None)


class IndexedSearchFilter(filters.CharFilter):
    """`q` on a model of the search registry (tracker.search): words, "quoted phrases"
    and parts of references or names. Ranked results come most relevant first unless
    the request gives an `ordering`."""

    def __init__(self, model_name: str, **kwargs):
        self.model_name = model_name
        index = search.INDEXES[model_name]
        kwargs.setdefault(
            "help_text",
            'Free text: words, "quoted phrases" and -exclusions, or part of a reference or name; '
            f"matched against {', '.join(index.words)}."
            + (" Most relevant first unless `ordering` is given." if index.ranked else ""),
        )
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def filter(self, queryset, value: str):
        # The view searches (api.mixins.CSVStreamingListMixin.searched), after the other
        # filters, so that what the search found reaches its ordering and paginator.
        return queryset


class CourtFilter(filters.FilterSet):
    jurisdiction = CodeInFilter(
        field_name="jurisdiction", help_text="ISO codes, comma-separated (EU, GB, US)."
    )
    q = TextSearchFilter("name", "short_name", "slug")
    ordering = ListOrderingFilter(fields=["short_name", "jurisdiction", "name"])

    class Meta:
        model = Court
        fields: list[str] = []


class RegulatorFilter(filters.FilterSet):
    jurisdiction = CodeInFilter(
        field_name="jurisdiction", help_text="ISO codes, comma-separated (EU, GB, US)."
    )
    q = TextSearchFilter("name", "short_name", "slug")
    ordering = ListOrderingFilter(fields=["short_name", "jurisdiction", "name"])

    class Meta:
        model = Regulator
        fields: list[str] = []


class PartyFilter(filters.FilterSet):
    country = CodeInFilter(field_name="country", help_text="ISO codes, comma-separated.")
    q = IndexedSearchFilter("party")
    ordering = ListOrderingFilter(fields=["name", "country", "updated_at"])

    class Meta:
        model = Party
        fields: list[str] = []


class DealFilter(filters.FilterSet):
    status = ChoiceInFilter(choices=DealStatus.choices, help_text="Deal status, comma-separated.")
    deal_type = ChoiceInFilter(choices=DealType.choices, help_text="Deal type, comma-separated.")
    party = SlugInFilter(
        field_name="parties__slug", distinct=True, help_text="Party slugs, comma-separated."
    )
    regulator = SlugInFilter(
        field_name="reviews__regulator__slug", distinct=True, help_text="Reviewed by (slugs)."
    )
    jurisdiction = CodeInFilter(field_name="reviews__regulator__jurisdiction", distinct=True)
    review_status = ChoiceInFilter(
        field_name="reviews__status",
        choices=ReviewStatus.choices,
        distinct=True,
        help_text="Has a review in one of these statuses.",
    )
    announced_after = filters.DateFilter(field_name="announced_on", lookup_expr="gte")
    announced_before = filters.DateFilter(field_name="announced_on", lookup_expr="lte")
    value_min = money_filter("gte", "Headline value at least this.")
    value_max = money_filter("lte", "Headline value at most this.")
    updated_since = StorableIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = IndexedSearchFilter("deal")
    ordering = ListOrderingFilter(fields=["announced_on", "title", "value", "updated_at"])

    class Meta:
        model = Deal
        fields: list[str] = []


class ReviewFilter(filters.FilterSet):
    status = ChoiceInFilter(choices=ReviewStatus.choices, help_text="Statuses, comma-separated.")
    regulator = RelatedSlugInFilter(
        "regulator", Regulator, help_text="Regulator slugs, comma-separated."
    )
    regulator_id = id_filter("regulator_id", "Regulator id.")
    jurisdiction = CodeInFilter(
        field_name="regulator__jurisdiction", help_text="ISO codes, comma-separated."
    )
    deal = CoveredDealFilter(
        help_text="Deal slugs, comma-separated: reviews covering any of them (lead or not)."
    )
    deal_id = CoveredDealIdFilter(
        min_value=1,
        max_value=MAX_ID,
        decimal_places=0,
        help_text="Deal id: reviews covering that deal.",
    )
    party = CoveredPartyFilter(
        field_name="deals__parties__slug",
        help_text="Party slugs, comma-separated: reviews covering their deals.",
    )
    court = RelatedSlugInFilter("court", Court, help_text="Court slugs, comma-separated.")
    outcome = ChoiceInFilter(choices=Outcome.choices, help_text="Outcomes, comma-separated.")
    review_type = ChoiceInFilter(choices=ReviewType.choices)
    open = filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")],
        method="filter_open",
        help_text="true: open reviews; false: closed ones.",
    )
    deadline_after = filters.DateFilter(field_name="next_deadline", lookup_expr="gte")
    deadline_before = filters.DateFilter(field_name="next_deadline", lookup_expr="lte")
    opened_after = filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_before = filters.DateFilter(field_name="opened_on", lookup_expr="lte")
    updated_since = StorableIsoDateTimeFilter(field_name="updated_at", lookup_expr="gte")
    q = IndexedSearchFilter("review")
    ordering = ListOrderingFilter(
        fields=["opened_on", "closed_on", "next_deadline", "updated_at", "status_changed_at", "id"]
    )

    class Meta:
        model = Review
        fields: list[str] = []

    def filter_open(self, queryset, name, value: str):
        return queryset.filter(status__in=OPEN_STATUSES if value == "true" else CLOSED_STATUSES)


class EventWithinFilter(filters.FilterSet):
    """Filters of the event lists inside one deal or review (a deal's timeline)."""

    kind = EventKindFilter(
        choices=EventKind.choices,
        help_text="Kinds, comma-separated; decision also finds the status changes that decide a "
        "proceeding (cleared, cleared with conditions, prohibited, closed).",
    )
    source_type = ChoiceInFilter(
        choices=SourceType.choices, help_text="Source types, comma-separated."
    )
    regulator = SlugInFilter(field_name="review__regulator__slug")
    jurisdiction = CodeInFilter(field_name="review__regulator__jurisdiction")
    occurred_after = filters.DateFilter(field_name="occurred_on", lookup_expr="gte")
    occurred_before = filters.DateFilter(field_name="occurred_on", lookup_expr="lte")
    q = IndexedSearchFilter("event")

    class Meta:
        model = Event
        fields: list[str] = []


class EventFilter(EventWithinFilter):
    deal = TimelineDealFilter(
        help_text="Deal slugs, comma-separated: every event on those deals' timelines."
    )
    review = id_filter("review_id", "Review id.")
    since = StorableIsoDateTimeFilter(
        field_name="created_at",
        lookup_expr="gt",
        help_text="Only events recorded after this instant (ISO 8601): for polling clients.",
    )

    class Meta:
        model = Event
        fields: list[str] = []
