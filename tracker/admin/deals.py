"""Parties and deals, with a deal's parties, reviews and whole timeline inline."""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ..models import Deal, DealParty, Party, Review
from .events import ReadOnlyEventInline, source_link


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "website", "deal_count"]
    list_filter = ["country"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_deal_count=Count("deals", distinct=True))

    @admin.display(description="deals", ordering="_deal_count")
    def deal_count(self, obj):
        return obj._deal_count


class DealPartyInline(admin.TabularInline):
    model = DealParty
    extra = 1
    autocomplete_fields = ["party"]


class DealReviewInline(admin.TabularInline):
    model = Review
    extra = 0
    fields = ["regulator", "reference", "review_type", "status", "stage", "opened_on", "next_deadline", "review_link"]
    # The deadline moves through the review's own page, where its changes are recorded.
    readonly_fields = ["status", "next_deadline", "review_link"]
    autocomplete_fields = ["regulator"]
    show_change_link = True

    @admin.display(description="")
    def review_link(self, obj):
        if not obj.pk:
            return ""
        return format_html('<a href="{}">timeline and status</a>', reverse("admin:tracker_review_change", args=[obj.pk]))


class DealTimelineInline(ReadOnlyEventInline):
    """The deal's whole timeline across regulators, with sources."""

    verbose_name = "timeline event"
    verbose_name_plural = "timeline (every event of the deal, across regulators)"
    fields = ["occurred_on", "kind", "regulator", "title", "source", "event_link"]
    ordering = ["occurred_on", "id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("review__regulator")

    @admin.display(description="regulator")
    def regulator(self, obj):
        return obj.review.regulator.short_name if obj.review_id else "-"

    @admin.display(description="source")
    def source(self, obj):
        return source_link(obj)

    @admin.display(description="")
    def event_link(self, obj):
        return format_html('<a href="{}">open</a>', reverse("admin:tracker_event_change", args=[obj.pk]))


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = ["title", "deal_type", "status", "announced_on", "total_committed_display", "review_count"]
    list_filter = ["deal_type", "status", "reviews__regulator", "reviews__regulator__jurisdiction"]
    search_fields = ["title", "slug", "summary", "parties__name", "parties__aliases"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "announced_on"
    inlines = [DealPartyInline, DealReviewInline, DealTimelineInline]
    readonly_fields = ["total_committed_display"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "deal_type", "status", "sector", "summary"]}),
        ("Dates and value", {"fields": ["announced_on", "completed_on", "value", "currency", "total_committed_display"]}),
    ]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).with_total_committed().annotate(_review_count=Count("reviews", distinct=True))
        )

    @admin.display(description="total committed", ordering="total_committed")
    def total_committed_display(self, obj):
        total = obj.total_committed
        if total is None:
            return "-"
        return f"{obj.currency} {total:,.0f}"

    @admin.display(description="reviews", ordering="_review_count")
    def review_count(self, obj):
        return getattr(obj, "_review_count", obj.reviews.count())
