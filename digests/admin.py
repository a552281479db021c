from django.contrib import admin

from .models import CalendarFeed, Digest


@admin.register(Digest)
class DigestAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "frequency",
        "period_start",
        "state",
        "event_count",
        "deadline_count",
        "sent_at",
    ]
    list_filter = ["frequency", "state", "period_start"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    list_select_related = ["user"]
    readonly_fields = [f.name for f in Digest._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__username", "user__email"]
    raw_id_fields = ["user"]
    actions = ["regenerate"]

    @admin.action(
        description="Make new secret URLs (the old ones stop working)", permissions=["change"]
    )
    def regenerate(self, request, queryset):
        for feed in queryset:
            feed.regenerate()
