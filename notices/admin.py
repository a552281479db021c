from django.contrib import admin

from .models import Delivery, DeliveryAttempt, Subscription, WebhookEndpoint


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "target", "by_email", "by_webhook", "frequency", "created_at"]
    list_filter = ["frequency", "by_email", "by_webhook"]
    search_fields = [
        "user__username",
        "user__email",
        "deal__title",
        "regulator__short_name",
        "review__reference",
    ]
    autocomplete_fields = ["deal", "review"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "deal", "regulator", "review__deal", "review__regulator"]

    @admin.display(description="follows")
    def target(self, obj):
        return obj.target_label


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    # The secret is never shown, here or anywhere after the endpoint is created.
    list_display = [
        "url",
        "user",
        "is_active",
        "consecutive_failures",
        "disabled_at",
        "owner_notified_at",
    ]
    list_filter = ["is_active"]
    search_fields = ["url", "user__username", "user__email"]
    raw_id_fields = ["user"]
    readonly_fields = [
        "consecutive_failures",
        "disabled_at",
        "disabled_reason",
        "owner_notified_at",
        "created_at",
    ]


class DeliveryAttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "succeeded", "status_code", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "uuid",
        "user",
        "channel",
        "kind",
        "state",
        "attempts",
        "next_attempt_at",
        "last_status_code",
        "created_at",
    ]
    list_filter = ["state", "channel", "kind"]
    search_fields = ["uuid", "user__username", "user__email", "endpoint__url"]
    list_select_related = ["user"]
    inlines = [DeliveryAttemptInline]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False
