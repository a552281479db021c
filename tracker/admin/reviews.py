"""The review admin: configuration only. Saving goes through the forms in `forms`, which
call the transition and deadline services."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ..choices import EventKind, ReviewStatus
from ..lifecycle import OPEN_STATUSES
from ..models import ClockStop, DeadlineExtension, DeadlinePeriod, Event, Review, ReviewDeal
from .events import EventForm, ReadOnlyEventInline
from .filters import DeadlineFilter, OpenClosedFilter
from .forms import (
    ClockStopFormSet,
    DeadlineExtensionFormSet,
    DealsCoveredFormSet,
    ReviewAdminForm,
    ReviewEventFormSet,
    TransitionForm,
)


class StatusChangeInline(ReadOnlyEventInline):
    """Status changes are written by the transition service only: shown, never edited here."""

    verbose_name = "status change"
    verbose_name_plural = "status changes"
    fields = ["occurred_on", "from_status", "to_status", "title", "source_url", "created_by"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(kind=EventKind.STATUS_CHANGE)
            .select_related("created_by")
        )


class TimelineEventInline(admin.StackedInline):
    model = Event
    verbose_name = "timeline event"
    verbose_name_plural = "timeline events (filings, decisions, deadlines, statements, ...)"
    formset = ReviewEventFormSet
    form = EventForm
    fields = [
        ("kind", "occurred_on", "date_precision"),
        "title",
        "body",
        ("source_url", "source_title", "source_type"),
        "history",
    ]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(kind=EventKind.STATUS_CHANGE)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [c for c in EventKind.choices if c[0] != EventKind.STATUS_CHANGE]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


# In a table row the admin's URL widget ("Currently: <link> Change: <input>") is wider than the page.
COMPACT_URL_INPUT: dict[type[models.Field], dict[str, Any]] = {
    models.URLField: {"widget": forms.URLInput(attrs={"class": "vURLField compact-url"})}
}


class ClockStopInline(admin.TabularInline):
    model = ClockStop
    formset = ClockStopFormSet
    fields = ["phase", "stopped_on", "restarted_on", "reason", "source_url"]
    readonly_fields = ["phase"]
    formfield_overrides = COMPACT_URL_INPUT
    extra = 0


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    formset = DeadlineExtensionFormSet
    fields = ["phase", "length", "granted_on", "reason", "source_url"]
    readonly_fields = ["phase"]
    formfield_overrides = COMPACT_URL_INPUT
    extra = 0


class DealsCoveredInline(admin.TabularInline):
    """Every deal the proceeding covers (the lead deal is always one)."""

    model = ReviewDeal
    formset = DealsCoveredFormSet
    fields = ["deal", "role"]
    autocomplete_fields = ["deal"]
    extra = 0


# A period is a kept record: shown, never edited.
PERIOD_FIELDS: list[str] = [
    "phase",
    "state",
    "clock_started_on",
    "due_on",
    "published_due_on",
    "kind",
    "variant",
    "basis",
    "ended_on",
    "end_reason",
    "created_at",
]


class DeadlinePeriodInline(admin.TabularInline):
    """Every period the review had, newest first: written by the deadline service only."""

    model = DeadlinePeriod
    verbose_name = "deadline period"
    verbose_name_plural = "deadline history (every period and each recount of it, newest first)"
    fields = tuple(PERIOD_FIELDS)
    readonly_fields = PERIOD_FIELDS
    ordering = ["-id"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = [
        "__str__",
        "regulator",
        "reference",
        "shown_status",
        "outcome",
        "stage",
        "opened_on",
        "closed_on",
        "next_deadline",
        "deadline_kind",
    ]
    list_filter = [
        "status",
        "outcome",
        OpenClosedFilter,
        "regulator",
        "regulator__jurisdiction",
        "review_type",
        DeadlineFilter,
    ]
    list_select_related = ["deal", "regulator"]
    search_fields = [
        "title",
        "deals__title",
        "reference",
        "docket_number",
        "regulator__short_name",
        "regulator__name",
        "stage",
        "outcome_wording",
    ]
    autocomplete_fields = ["deal", "regulator", "court"]
    form = ReviewAdminForm
    # Status and outcome move only through the transition service.
    readonly_fields = [
        "status",
        "outcome",
        "status_changed_at",
        "closed_on",
        "change_status_link",
        "deadline_kind",
        "deadline_phase",
        "deadline_basis",
    ]
    fieldsets = [
        (None, {"fields": ["title", "deal", "regulator", "reference", "review_type", "url"]}),
        (
            "Status",
            {
                "fields": [
                    "status",
                    "change_status_link",
                    "status_changed_at",
                    "stage",
                    "outcome",
                    "outcome_wording",
                ]
            },
        ),
        ("Court", {"fields": ["court", "docket_number", "judge"], "classes": ["collapse"]}),
        (
            "Dates",
            {"fields": ["opened_on", "formally_opened_on", "closed_on"]},
        ),
        (
            "Deadline",
            {
                "fields": [
                    "next_deadline",
                    "deadline_kind",
                    "deadline_basis",
                    "deadline_phase",
                    "clock_started_on",
                    "deadline_variant",
                ],
                "description": "Computed from the regulator's rules when the review enters a phase, and moved by "
                "the clock stops and extensions below. A date typed here is recorded as set by hand. Every "
                "period and each recount of it is kept in the deadline history below.",
            },
        ),
    ]
    inlines = [
        DealsCoveredInline,
        ClockStopInline,
        DeadlineExtensionInline,
        DeadlinePeriodInline,
        StatusChangeInline,
        TimelineEventInline,
    ]
    change_form_template = "admin/tracker/review/change_form.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Without the right to change reviews there is no status to change: no button.
        return [
            (
                name,
                {**options, "fields": [f for f in options["fields"] if f != "change_status_link"]},
            )
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        # A new review may start in any open status; after that only the service moves it.
        if obj is None:
            return [f for f in self.readonly_fields if f != "status"]
        return self.readonly_fields

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = [c for c in ReviewStatus.choices if c[0] in OPEN_STATUSES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    # Every form and formset of this page saves through the services (see .forms).
    def save_related(self, request, form, formsets, change):
        form.start_clock(request.user, created=not change)
        super().save_related(request, form, formsets, change)
        form.set_deadline_by_hand(request.user, created=not change)

    def save_formset(self, request, form, formset, change):
        if not hasattr(formset, "save_by"):  # the read-only status changes
            return super().save_formset(request, form, formset, change)
        for warning in formset.save_by(request.user):
            messages.warning(request, warning)
        # The admin's change message reads these; the deadline events carry the detail.
        if formset.model in (ClockStop, DeadlineExtension):
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    @admin.display(description="")
    @admin.display(description="status", ordering="status")
    def shown_status(self, obj):
        return obj.status_label

    def change_status_link(self, obj):
        if not obj.pk:
            return "Save the review first; its status then changes through 'Change status'."
        url = reverse("admin:tracker_review_transition", args=[obj.pk])
        return format_html('<a class="button" href="{}">Change status</a>', url)

    def get_urls(self):
        return [
            path(
                "<int:review_id>/transition/",
                self.admin_site.admin_view(self.transition_view),
                name="tracker_review_transition",
            ),
            *super().get_urls(),
        ]

    def transition_view(self, request, review_id):
        review = get_object_or_404(Review.objects.select_related("deal", "regulator"), pk=review_id)
        if not self.has_change_permission(request, review):
            raise PermissionDenied("Changing a review's status needs permission to change reviews.")
        # The stage wording starts empty: the current one describes the status being left.
        form = TransitionForm(request.POST or None, current_status=review.status)
        if request.method == "POST" and form.is_valid():
            result = form.transition(review, request.user)
            if result is not None:
                self.message_user(
                    request,
                    f"Status changed to {result.review.status_label}; event recorded.",
                    messages.SUCCESS,
                )
                return redirect("admin:tracker_review_change", review.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": review,
            "title": f"Change status of {review}",
            "form": form,
            "current_status": review.status_label,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/tracker/review/transition.html", context)
