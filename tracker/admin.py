import datetime

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from regulators.deadline_rules import rule_for_status

from . import deadlines
from .admin_forms import ClockStopFormSet, DeadlineExtensionFormSet, ReviewAdminForm, TransitionForm
from .choices import DeadlineKind, EventKind, ReviewStatus
from .lifecycle import CLOSED_STATUSES, OPEN_STATUSES
from .models import ClockStop, Deal, DealParty, DeadlineExtension, Event, Party, Review
from .services import TransitionNotAllowed, transition_review


class OpenClosedFilter(admin.SimpleListFilter):
    title = "open or closed"
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("yes", "Open"), ("no", "Closed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(status__in=OPEN_STATUSES)
        if self.value() == "no":
            return queryset.filter(status__in=CLOSED_STATUSES)
        return queryset


class DeadlineFilter(admin.SimpleListFilter):
    title = "next deadline"
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Passed, review still open"),
            ("7", "Within 7 days"),
            ("30", "Within 30 days"),
            ("any", "Has a deadline"),
            ("none", "No deadline"),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "overdue":
            return queryset.filter(next_deadline__lt=today, status__in=OPEN_STATUSES)
        if value in {"7", "30"}:
            return queryset.filter(
                next_deadline__gte=today, next_deadline__lte=today + datetime.timedelta(days=int(value))
            )
        if value == "any":
            return queryset.filter(next_deadline__isnull=False)
        if value == "none":
            return queryset.filter(next_deadline__isnull=True)
        return queryset


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


def source_link(event: Event):
    if not event.source_url:
        return "-"
    return format_html('<a href="{}" rel="noopener" target="_blank">{}</a>', event.source_url, event.source_title or "source")


class ReadOnlyEventInline(admin.TabularInline):
    """Events shown on another object's page, edited on their own (or not at all)."""

    model = Event
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


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


class StatusChangeInline(ReadOnlyEventInline):
    """Status changes are written by the transition service only: shown, never edited here."""

    verbose_name = "status change"
    verbose_name_plural = "status changes"
    fields = ["occurred_on", "from_status", "to_status", "title", "source_url", "created_by"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=EventKind.STATUS_CHANGE).select_related("created_by")


class TimelineEventInline(admin.StackedInline):
    model = Event
    verbose_name = "timeline event"
    verbose_name_plural = "timeline events (filings, decisions, deadlines, statements, ...)"
    fields = [("kind", "occurred_on", "date_precision"), "title", "body", ("source_url", "source_title")]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(kind=EventKind.STATUS_CHANGE)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [c for c in EventKind.choices if c[0] != EventKind.STATUS_CHANGE]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class ClockStopInline(admin.TabularInline):
    """Saved through the deadline service, which recomputes the deadline and records why it moved."""

    model = ClockStop
    formset = ClockStopFormSet
    fields = ["phase", "stopped_on", "restarted_on", "reason", "source_url"]
    readonly_fields = ["phase"]
    extra = 0


class DeadlineExtensionInline(admin.TabularInline):
    model = DeadlineExtension
    formset = DeadlineExtensionFormSet
    fields = ["phase", "length", "granted_on", "reason", "source_url"]
    readonly_fields = ["phase"]
    extra = 0


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = [
        "deal", "regulator", "reference", "status", "stage", "opened_on", "closed_on", "next_deadline", "deadline_kind",
    ]
    list_filter = [
        "status",
        OpenClosedFilter,
        "regulator",
        "regulator__jurisdiction",
        "review_type",
        DeadlineFilter,
    ]
    list_select_related = ["deal", "regulator"]
    search_fields = ["deal__title", "reference", "regulator__short_name", "regulator__name", "stage", "outcome"]
    autocomplete_fields = ["deal", "regulator"]
    form = ReviewAdminForm
    readonly_fields = [
        "status", "status_changed_at", "closed_on", "change_status_link", "deadline_kind", "deadline_phase",
        "deadline_basis",
    ]
    fieldsets = [
        (None, {"fields": ["deal", "regulator", "reference", "review_type", "url"]}),
        ("Status", {"fields": ["status", "change_status_link", "status_changed_at", "stage", "outcome"]}),
        ("Dates", {"fields": ["opened_on", "closed_on"]}),
        (
            "Deadline",
            {
                "fields": [
                    "next_deadline", "deadline_kind", "deadline_basis", "deadline_phase", "clock_started_on",
                    "deadline_variant",
                ],
                "description": "Computed from the regulator's rules when the review enters a phase, and moved by "
                "the clock stops and extensions below. A date typed here is recorded as set by hand.",
            },
        ),
    ]
    inlines = [ClockStopInline, DeadlineExtensionInline, StatusChangeInline, TimelineEventInline]
    change_form_template = "admin/tracker/review/change_form.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.has_change_permission(request, obj):
            return fieldsets
        # Without the right to change reviews there is no status to change: no button.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "change_status_link"]})
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

    def save_model(self, request, obj, form, change):
        # Deadline edits go through the deadline service (in save_related, once the
        # review exists), which records why the deadline moved; keep the old values here.
        obj._hand_deadline = "next_deadline" in form.changed_data
        obj._clock_changed = bool({"clock_started_on", "deadline_variant"} & set(form.changed_data))
        if change and (obj._hand_deadline or obj._clock_changed):
            old = Review.objects.values(*deadlines.DEADLINE_FIELDS).get(pk=obj.pk)
            obj._new_deadline = {f: getattr(obj, f) for f in deadlines.DEADLINE_FIELDS}
            for field, value in old.items():
                setattr(obj, field, value)
        elif not change:
            rule = rule_for_status(obj.regulator.slug, obj.status)
            obj.deadline_phase = rule.phase if rule else ""
            if obj.next_deadline:
                obj.deadline_kind = DeadlineKind.MANUAL
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        review = form.instance
        new = getattr(review, "_new_deadline", {})
        if change and review._clock_changed and new.get("clock_started_on"):
            deadlines.set_clock(
                review_id=review.pk,
                started_on=new["clock_started_on"],
                variant=new["deadline_variant"],
                note="entered in the admin",
                user=request.user,
            )
        elif not change and review.clock_started_on and review.deadline_phase and not review.next_deadline:
            deadlines.set_clock(
                review_id=review.pk,
                started_on=review.clock_started_on,
                variant=review.deadline_variant,
                user=request.user,
            )
        super().save_related(request, form, formsets, change)
        if change and review._hand_deadline:
            deadlines.set_deadline_by_hand(
                review_id=review.pk, next_deadline=new["next_deadline"], note="entered in the admin", user=request.user
            )

    def save_formset(self, request, form, formset, change):
        if formset.model in (ClockStop, DeadlineExtension):
            # The admin's change message reads these; the deadline events carry the detail.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            save = self._save_clock_stops if formset.model is ClockStop else self._save_extensions
            return save(request, formset)
        # Timeline events added here belong to the review's deal.
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, Event):
                instance.deal_id = form.instance.deal_id
                instance.created_by = instance.created_by or request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    def _save_clock_stops(self, request, formset):
        for form in formset.forms:
            stop, data = form.instance, form.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                if stop.pk:
                    deadlines.remove_clock_stop(clock_stop_id=stop.pk, user=request.user)
            elif stop.pk is None:
                deadlines.stop_clock(
                    review_id=formset.instance.pk,
                    stopped_on=data["stopped_on"],
                    restarted_on=data.get("restarted_on"),
                    reason=data["reason"],
                    source_url=data.get("source_url", ""),
                    user=request.user,
                )
            elif form.has_changed():
                deadlines.change_clock_stop(
                    clock_stop_id=stop.pk,
                    stopped_on=data["stopped_on"],
                    restarted_on=data.get("restarted_on"),
                    reason=data["reason"],
                    source_url=data.get("source_url", ""),
                    user=request.user,
                )

    def _save_extensions(self, request, formset):
        for form in formset.forms:
            extension, data = form.instance, form.cleaned_data
            if not data:
                continue
            if data.get("DELETE"):
                if extension.pk:
                    deadlines.remove_extension(extension_id=extension.pk, user=request.user)
            elif extension.pk is None:
                deadlines.extend_deadline(
                    review_id=formset.instance.pk,
                    length=data["length"],
                    granted_on=data["granted_on"],
                    reason=data["reason"],
                    source_url=data.get("source_url", ""),
                    user=request.user,
                )
            elif form.has_changed():
                # An extension is a grant on a date: correct it by removing it and adding the right one.
                messages.warning(request, f"Extension '{extension}' was not changed: delete it and add a new one.")

    @admin.display(description="")
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
        form = TransitionForm(request.POST or None, current_status=review.status, initial={"stage": review.stage})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = transition_review(
                    review_id=review.pk,
                    to_status=data["to_status"],
                    occurred_on=data["occurred_on"],
                    stage=data["stage"],
                    title=data["title"],
                    note=data["note"],
                    source_url=data["source_url"],
                    source_title=data["source_title"],
                    user=request.user,
                )
            except TransitionNotAllowed as exc:
                form.add_error("to_status", str(exc))
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                self.message_user(
                    request,
                    f"Status changed to {ReviewStatus(result.review.status).label}; event recorded.",
                    messages.SUCCESS,
                )
                return redirect("admin:tracker_review_change", review.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": review,
            "title": f"Change status of {review}",
            "form": form,
            "current_status": ReviewStatus(review.status).label,
            "has_view_permission": True,
        }
        return TemplateResponse(request, "admin/tracker/review/transition.html", context)


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    list_display = ["occurred_on", "title", "kind", "deal", "review", "source_link"]
    list_filter = ["kind", "review__regulator", "review__regulator__jurisdiction", "date_precision"]
    list_select_related = ["deal", "review__regulator", "review__deal"]
    search_fields = ["title", "body", "deal__title", "source_url"]
    autocomplete_fields = ["deal", "review"]
    date_hierarchy = "occurred_on"
    readonly_fields = ["from_status", "to_status", "created_at", "created_by"]

    @admin.display(description="source")
    def source_link(self, obj):
        return source_link(obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "kind":
            kwargs["choices"] = [c for c in EventKind.choices if c[0] != EventKind.STATUS_CHANGE]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.kind == EventKind.STATUS_CHANGE:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.kind == EventKind.STATUS_CHANGE:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


from .notices import admin as notices_admin  # noqa: E402,F401  (registers the notices admin)
from .digests import admin as digests_admin  # noqa: E402,F401  (registers the digests admin)
