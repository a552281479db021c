from rest_framework import serializers

from notices.choices import Channel
from notices.models import (
    Delivery,
    DeliveryAttempt,
    Subscription,
    WebhookEndpoint,
    validate_event_kinds,
)
from notices.urlguard import UnsafeURL, check_webhook_url
from regulators.models import Regulator
from tracker.choices import EventKind
from tracker.models import Deal, Review


class SubscriptionSerializer(serializers.ModelSerializer):
    deal = serializers.SlugRelatedField(
        slug_field="slug", queryset=Deal.objects.all(), required=False, allow_null=True
    )
    regulator = serializers.SlugRelatedField(
        slug_field="slug", queryset=Regulator.objects.all(), required=False, allow_null=True
    )
    review = serializers.PrimaryKeyRelatedField(
        queryset=Review.objects.all(), required=False, allow_null=True
    )
    channels = serializers.MultipleChoiceField(
        choices=Channel.choices, default=[Channel.EMAIL], help_text="email, webhook, or both."
    )
    event_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=EventKind.choices),
        required=False,
        max_length=len(EventKind.choices),
        help_text="Event kinds to be told about. Sent empty or left out: status changes and decisions, "
        "which the response then lists.",
    )
    follows = serializers.CharField(source="target_label", read_only=True)

    class Meta:
        model = Subscription
        fields = [
            "id",
            "deal",
            "regulator",
            "review",
            "follows",
            "channels",
            "frequency",
            "event_kinds",
            "created_at",
        ]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        # Stored as two flags, shown as one list in a fixed order (the field's own rendering is a set).
        data["channels"] = [
            c
            for c, on in (
                (Channel.EMAIL, instance.by_email),
                (Channel.WEBHOOK, instance.by_webhook),
            )
            if on
        ]
        data["event_kinds"] = list(instance.effective_event_kinds)  # what the subscription follows
        return data

    def validate_event_kinds(self, value):
        try:
            validate_event_kinds(value)
        except Exception as exc:  # django ValidationError -> field error
            raise serializers.ValidationError(list(getattr(exc, "messages", [str(exc)]))) from exc
        return sorted(set(value))

    def validate_channels(self, value):
        if not value:
            raise serializers.ValidationError("Choose at least one channel: email or webhook.")
        return value

    def validate(self, attrs):
        merged = {
            name: attrs[name] if name in attrs else getattr(self.instance, name, None)
            for name in ("deal", "regulator", "review")
        }
        chosen = [name for name, value in merged.items() if value is not None]
        if len(chosen) > 1:
            raise serializers.ValidationError(
                {chosen[1]: "Follow one deal, one regulator or one review, not several."}
            )
        user = self.context["request"].user
        duplicates = Subscription.objects.filter(
            user=user, **{f"{k}": v for k, v in merged.items()}
        )
        if self.instance is not None:
            duplicates = duplicates.exclude(pk=self.instance.pk)
        if duplicates.exists():
            field = chosen[0] if chosen else "non_field_errors"
            raise serializers.ValidationError(
                {field: "You already follow this; change that subscription instead."}
            )
        if "channels" in attrs:
            channels = attrs.pop("channels")
            attrs["by_email"] = Channel.EMAIL in channels
            attrs["by_webhook"] = Channel.WEBHOOK in channels
        return attrs


class WebhookEndpointSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEndpoint
        # Kept by the deliveries; the id and the timestamps are read-only anyway.
        read_only_fields = ["consecutive_failures", "disabled_at", "disabled_reason"]
        fields = [
            "id",
            "url",
            "description",
            "is_active",
            *read_only_fields,
            "created_at",
            "updated_at",
        ]

    def validate_url(self, value):
        try:
            check_webhook_url(value)
        except UnsafeURL as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value

    def update(self, instance, validated_data):
        if validated_data.get("is_active") and not instance.is_active:
            # Turned back on by its owner: start counting failures afresh.
            validated_data.update(
                consecutive_failures=0, disabled_at=None, disabled_reason="", owner_notified_at=None
            )
        return super().update(instance, validated_data)


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    """The one response that carries the secret: the creation of the endpoint."""

    secret = serializers.CharField(
        read_only=True, help_text="Shown only now; store it to verify signatures."
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = WebhookEndpointSerializer.Meta.fields + ["secret"]


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["number", "started_at", "duration_ms", "succeeded", "status_code", "error"]


class DeliverySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    event = serializers.PrimaryKeyRelatedField(read_only=True)
    endpoint = serializers.PrimaryKeyRelatedField(read_only=True)
    subscription = serializers.PrimaryKeyRelatedField(read_only=True)
    attempt_log = DeliveryAttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "kind",
            "channel",
            "event",
            "subscription",
            "endpoint",
            "state",
            "attempts",
            "next_attempt_at",
            "last_status_code",
            "last_error",
            "delivered_at",
            "created_at",
            "attempt_log",
        ]
        read_only_fields = fields
