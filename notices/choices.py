from django.db import models

from tracker.choices import EventKind


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "Immediately"
    DAILY = "daily", "Daily digest"
    WEEKLY = "weekly", "Weekly digest"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    WEBHOOK = "webhook", "Webhook"


class DeliveryKind(models.TextChoices):
    NOTICE = "notice", "Notice of an event"
    PING = "ping", "Test ping"


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Failed (gave up)"
    CANCELLED = "cancelled", "Cancelled"


# What a subscription follows when it names no event kinds.
DEFAULT_EVENT_KINDS = [EventKind.STATUS_CHANGE.value, EventKind.DECISION.value]
