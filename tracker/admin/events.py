"""Timeline events: their own admin, and the read-only inline other pages show them in."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from ..choices import EventKind
from ..models import Event
from ..services import record_event


def source_link(event: Event):
    if not event.source_url:
        return "-"
    return format_html(
        '<a href="{}" rel="noopener" target="_blank">{}</a>',
        event.source_url,
        event.source_title or "source",
    )


class ReadOnlyEventInline(admin.TabularInline):
    """Events shown on another object's page, edited on their own (or not at all)."""

    model = Event
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class EventForm(forms.ModelForm):
    history = forms.BooleanField(
        required=False,
        label="Back-filled history",
        help_text="A past entry added for the record: it shows on the timeline and sends no notice. "
        "Leave unticked for news, which reaches the subscribers who follow its kind.",
    )

    class Meta:
        model = Event
        fields = "__all__"  # noqa: DJ007 (the admin lays out the fields)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:  # the flag belongs to a new entry: an edit is never news
            self.fields["history"].disabled = True
            self.fields["history"].initial = self.instance.recorded_as_history


@admin.register(Event)
class EventAdmin(SimpleHistoryAdmin):
    form = EventForm
    list_display = ["occurred_on", "title", "kind", "deal", "review", "source_type", "source_link"]
    list_filter = [
        "kind",
        "source_type",
        "review__regulator",
        "review__regulator__jurisdiction",
        "date_precision",
    ]
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

    def get_fields(self, request, obj=None):
        # The flag belongs to a new entry: an edit is never news.
        fields = super().get_fields(request, obj)
        return [f for f in fields if f != "history"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new entry is recorded and announced as the API's is, after the admin's commit.
        record_event(obj, history=form.cleaned_data.get("history", False), user=request.user)
