import base64
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from regulators.models import Regulator
from tracker.choices import EventKind
from tracker.models import Deal, Event, Review

from .choices import DEFAULT_EVENT_KINDS, Channel, DeliveryKind, DeliveryState, Frequency
from .urlguard import UnsafeURL, check_webhook_url


def validate_event_kinds(value):
    if not isinstance(value, list) or not all(isinstance(kind, str) for kind in value):
        raise ValidationError("Give a list of event kinds.")
    unknown = sorted(set(value) - set(EventKind.values))
    if unknown:
        raise ValidationError(
            f"Unknown event kind(s): {', '.join(unknown)}. Choose from: {', '.join(EventKind.values)}."
        )


class Subscription(models.Model):
    """A user's interest in a deal, a regulator, a review, or (none of them set) everything."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    deal = models.ForeignKey(
        Deal, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    regulator = models.ForeignKey(
        Regulator, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    review = models.ForeignKey(
        Review, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    by_email = models.BooleanField("email", default=True)
    by_webhook = models.BooleanField(
        "webhook", default=False, help_text="Sent to every active endpoint of the user."
    )
    frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    event_kinds = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_event_kinds],
        help_text="Event kinds to be told about; empty means status changes and decisions.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(by_email=True) | Q(by_webhook=True), name="subscription_has_a_channel"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="subscription_frequency_valid"
            ),
            # At most one target: deal, regulator or review (none means everything).
            models.CheckConstraint(
                condition=Q(deal__isnull=True, regulator__isnull=True)
                | Q(deal__isnull=True, review__isnull=True)
                | Q(regulator__isnull=True, review__isnull=True),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "deal"],
                condition=Q(deal__isnull=False),
                name="subscription_unique_deal",
            ),
            models.UniqueConstraint(
                fields=["user", "regulator"],
                condition=Q(regulator__isnull=False),
                name="subscription_unique_regulator",
            ),
            models.UniqueConstraint(
                fields=["user", "review"],
                condition=Q(review__isnull=False),
                name="subscription_unique_review",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(deal__isnull=True, regulator__isnull=True, review__isnull=True),
                name="subscription_unique_everything",
            ),
        ]
        indexes = [models.Index(fields=["frequency"], name="subscription_frequency_idx")]

    def __str__(self) -> str:
        return f"{self.user} follows {self.target_label}"

    @property
    def target_label(self) -> str:
        if self.review_id:
            return str(self.review)
        if self.deal_id:
            return str(self.deal)
        if self.regulator_id:
            return str(self.regulator)
        return "everything"

    @property
    def specificity(self) -> int:
        """Higher is narrower: used to pick the one subscription a notice is sent under."""
        return 3 if self.review_id else 2 if self.deal_id else 1 if self.regulator_id else 0

    @property
    def effective_event_kinds(self) -> list[str]:
        return self.event_kinds or DEFAULT_EVENT_KINDS

    def clean(self):
        super().clean()
        targets = [name for name in ("deal", "regulator", "review") if getattr(self, f"{name}_id")]
        if len(targets) > 1:
            raise ValidationError(
                {targets[1]: "Follow one deal, one regulator or one review, not several."}
            )
        if not (self.by_email or self.by_webhook):
            raise ValidationError({"by_email": "Choose at least one channel: email or webhook."})


def generate_webhook_secret() -> str:
    # Standard Webhooks secrets: "whsec_" + base64 of 24 to 64 random bytes.
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class WebhookEndpoint(models.Model):
    """A user's HTTPS receiver. The secret is shown once, when the endpoint is created."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField("URL", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=generate_webhook_secret, editable=False)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0, editable=False)
    disabled_at = models.DateTimeField(null=True, blank=True, editable=False)
    disabled_reason = models.CharField(max_length=300, blank=True, editable=False)
    owner_notified_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the owner was told it was disabled."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "webhook endpoint"

    def __str__(self) -> str:
        return self.url

    def clean(self):
        super().clean()
        if self.url:
            try:
                check_webhook_url(self.url)
            except UnsafeURL as exc:
                raise ValidationError({"url": str(exc)}) from exc


class DeliveryQuerySet(models.QuerySet):
    def due(self, now):
        """Rows a worker may claim: pending and due, or claimed by a worker whose lease ran out."""
        return self.filter(
            Q(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            | Q(state=DeliveryState.SENDING, claimed_until__lt=now)
        )


class Delivery(models.Model):
    """One notice of one event to one user on one channel: the outbox.

    Nothing is sent that is not first recorded here, in the transaction that wrote the
    event. `uuid` is the id receivers use to de-duplicate (delivery is at-least-once).
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    kind = models.CharField(
        max_length=10, choices=DeliveryKind.choices, default=DeliveryKind.NOTICE
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    endpoint = models.ForeignKey(
        WebhookEndpoint, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries"
    )
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DeliveryState.values), name="delivery_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel=Channel.EMAIL, endpoint__isnull=True)
                | Q(channel=Channel.WEBHOOK, endpoint__isnull=False),
                name="delivery_channel_target",
            ),
            models.CheckConstraint(
                condition=Q(kind=DeliveryKind.PING) | Q(event__isnull=False),
                name="delivery_notice_has_event",
            ),
            # One notice per event and user by email, and per event and endpoint by webhook.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(channel=Channel.EMAIL, kind=DeliveryKind.NOTICE),
                name="delivery_one_email_per_event_user",
            ),
            models.UniqueConstraint(
                fields=["event", "endpoint"],
                condition=Q(channel=Channel.WEBHOOK, kind=DeliveryKind.NOTICE),
                name="delivery_one_webhook_per_event_endpoint",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="delivery_state_due_idx"),
            models.Index(fields=["user", "created_at"], name="delivery_user_created_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} {self.uuid} by {self.channel} to {self.user}: {self.state}"
        )

    @property
    def webhook_id(self) -> str:
        return f"msg_{self.uuid.hex}"


class DeliveryAttempt(models.Model):
    """One try at sending a delivery: when, how it ended, how long it took."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField()
    succeeded = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="delivery_attempt_number_unique"
            )
        ]

    def __str__(self) -> str:
        outcome = "ok" if self.succeeded else (self.error or f"HTTP {self.status_code}")
        return f"attempt {self.number}: {outcome}"
