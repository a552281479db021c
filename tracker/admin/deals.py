"""Parties and deals, with a deal's parties, reviews and whole timeline inline."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from simple_history.admin import SimpleHistoryAdmin

from ..choices import DealRole
from ..models import Deal, DealParty, Event, Party, ReviewDeal
from .events import source_link


@admin.register(Party)
class PartyAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "website", "deal_count"]
    list_filter = ["country"]
    search_fields = ["name", "slug", "aliases"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        # A grouped query drops Meta.ordering: order it again, so autocomplete pages are stable.
        return (
            super()
            .get_queryset(request)
            .annotate(_deal_count=Count("deals", distinct=True))
            .order_by(*(Party._meta.ordering or ()))
        )

    @admin.display(description="deals", ordering="_deal_count")
    def deal_count(self, obj):
        return obj._deal_count


class DealPartyInline(admin.TabularInline):
    model = DealParty
    extra = 1
    autocomplete_fields = ["party"]


class DealReviewInline(admin.TabularInline):
    """The proceedings covering the deal; a row added here links the deal to an existing
    proceeding (a proceeding itself is opened on its own page)."""

    model = ReviewDeal
    extra = 0
    verbose_name = "proceeding covering the deal"
    verbose_name_plural = "proceedings covering the deal"
    fields = ["review", "role", "status", "outcome", "stage", "next_deadline", "review_link"]
    readonly_fields = ["status", "outcome", "stage", "next_deadline", "review_link"]
    autocomplete_fields = ["review"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("review__regulator", "review__deal")

    @admin.display(description="status")
    def status(self, obj):
        return obj.review.status_label if obj.review_id else ""

    @admin.display(description="outcome")
    def outcome(self, obj):
        return obj.review.get_outcome_display() if obj.review_id else ""

    @admin.display(description="stage")
    def stage(self, obj):
        return obj.review.stage if obj.review_id else ""

    @admin.display(description="next deadline")
    def next_deadline(self, obj):
        return obj.review.next_deadline or "-" if obj.review_id else ""

    @admin.display(description="")
    def review_link(self, obj):
        if not obj.review_id:
            return ""
        url = reverse("admin:tracker_review_change", args=[obj.review_id])
        return format_html('<a href="{}">timeline and status</a>', url)


def timeline_table(deal: Deal) -> str:
    """The deal's whole timeline across regulators, with sources: its own events and those
    of every proceeding covering it."""
    events = (
        Event.objects.on_timeline_of(deal)
        .select_related("review__regulator")
        .order_by("occurred_on", "id")
    )
    rows = format_html_join(
        "",
        '<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><a href="{}">open</a></td></tr>',
        (
            (
                e.occurred_on,
                e.get_kind_display(),
                e.review.regulator.short_name if e.review_id else "-",
                e.title,
                source_link(e),
                reverse("admin:tracker_event_change", args=[e.pk]),
            )
            for e in events
        ),
    )
    if not rows:
        return "No events yet."
    return format_html(
        '<table class="deal-timeline"><thead><tr><th>date</th><th>kind</th><th>regulator</th><th>title</th>'
        "<th>source</th><th></th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )


@admin.register(Deal)
class DealAdmin(SimpleHistoryAdmin):
    list_display = [
        "title",
        "deal_type",
        "status",
        "announced_on",
        "total_committed_display",
        "review_count",
    ]
    list_filter = ["deal_type", "status", "reviews__regulator", "reviews__regulator__jurisdiction"]
    search_fields = ["title", "slug", "summary", "parties__name", "parties__aliases"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "announced_on"
    inlines = [DealPartyInline, DealReviewInline]
    readonly_fields = ["total_committed_display", "timeline"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "deal_type", "status", "sector", "summary"]}),
        (
            "Dates and value",
            {
                "fields": [
                    ("announced_on", "announced_precision"),
                    ("completed_on", "completed_precision"),
                    ("value", "value_basis"),
                    "currency",
                    "total_committed_display",
                ]
            },
        ),
        ("Timeline (every event of the deal, across regulators)", {"fields": ["timeline"]}),
    ]

    @admin.display(description="")
    def timeline(self, obj):
        return timeline_table(obj) if obj.pk else "-"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .with_total_committed()
            # Proceedings that review the deal: a study that covers it is not its review.
            .annotate(
                _review_count=Count(
                    "review_links",
                    filter=Q(review_links__role=DealRole.REVIEWS),
                    distinct=True,
                )
            )
            .order_by(*(Deal._meta.ordering or ()))
        )

    @admin.display(description="total committed", ordering="total_committed")
    def total_committed_display(self, obj):
        total = obj.total_committed
        if total is None:
            return "-"
        return f"{obj.currency} {total:,.0f}"

    @admin.display(description="reviews", ordering="_review_count")
    def review_count(self, obj):
        return getattr(obj, "_review_count", obj.review_links.filter(role=DealRole.REVIEWS).count())
