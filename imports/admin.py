import json

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html

from . import decisions
from .choices import ProposalState
from .models import ImportRun, Proposal, Provenance


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "source",
        "started_at",
        "finished_at",
        "status",
        "fetched",
        "created",
        "updated",
        "unchanged",
        "queued",
        "skipped",
        "failed",
    )
    list_filter = ("source", "status")
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Provenance)
class ProvenanceAdmin(admin.ModelAdmin):
    list_display = ("source", "source_id", "content_type", "object_id", "url", "read_at")
    list_filter = ("source", "content_type")
    search_fields = ("source_id", "url")
    readonly_fields = [f.name for f in Provenance._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    """The editors' queue: what the importers could not decide, with the source record."""

    list_display = ("summary", "kind", "source", "state", "created_at")
    list_filter = ("state", "kind", "source")
    search_fields = ("summary", "source_id")
    actions = ["accept_selected", "reject_selected", "attach_selected"]
    fields = (
        "summary",
        "kind",
        "state",
        "source",
        "source_id",
        "source_link",
        "review",
        "field",
        "current_value",
        "proposed_value",
        "candidates",
        "attach_to",
        "pretty_record",
        "decided_by",
        "decided_at",
    )
    readonly_fields = tuple(f for f in fields if f != "attach_to")
    autocomplete_fields = ("attach_to",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("review__regulator", "review__deal")

    @admin.display(description="source")
    def source_link(self, obj):
        return (
            format_html('<a href="{}" rel="noopener">{}</a>', obj.source_url, obj.source_url)
            if obj.source_url
            else "-"
        )

    @admin.display(description="source record")
    def pretty_record(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.record, indent=2, ensure_ascii=False))

    def has_add_permission(self, request):
        return False

    def _each(self, request, queryset, decide, done: str):
        count = 0
        for proposal in queryset.filter(state=ProposalState.OPEN):
            try:
                decide(proposal)
            except (ValidationError, ValueError) as exc:
                self.message_user(
                    request,
                    f"{proposal}: {'; '.join(getattr(exc, 'messages', [str(exc)]))}",
                    messages.ERROR,
                )
            else:
                count += 1
        if count:
            self.message_user(
                request, f"{count} proposal{'s' if count != 1 else ''} {done}.", messages.SUCCESS
            )

    @admin.action(description="Accept the register's proposal")
    def accept_selected(self, request, queryset):
        self._each(request, queryset, lambda p: decisions.accept(p, request.user), "accepted")

    @admin.action(description="Reject (remembered: not asked again)")
    def reject_selected(self, request, queryset):
        self._each(request, queryset, lambda p: decisions.reject(p, request.user), "rejected")

    @admin.action(
        description="Attach to the chosen proceeding ('attach to', else the only candidate)"
    )
    def attach_selected(self, request, queryset):
        def attach(proposal):
            target = proposal.attach_to
            if target is None:
                candidates = list(proposal.candidates.all()[:2])
                if len(candidates) != 1:
                    raise ValidationError("Choose the proceeding in 'attach to' first.")
                target = candidates[0]
            decisions.attach(proposal, target, request.user)

        self._each(request, queryset, attach, "attached")
