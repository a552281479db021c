import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q

from notices.choices import Frequency


class DigestState(models.TextChoices):
    PENDING = "pending", "Pending"
    SENDING = "sending", "Sending"
    SENT = "sent", "Sent"
    EMPTY = "empty", "Nothing new: not sent"
    FAILED = "failed", "Failed"


DIGEST_FREQUENCIES = [Frequency.DAILY, Frequency.WEEKLY]


class Digest(models.Model):
    """One user's digest for one period: the record that makes a rerun send nothing twice.

    A run creates the row (unique per user, frequency and period), claims it before
    sending and marks it sent after; events recorded up to `covered_until` are in it, and
    the next digest starts where the last one sent (or found nothing) ended.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    period_start = models.DateField(
        help_text="The day of a daily digest, the Monday of a weekly one."
    )
    covered_until = models.DateTimeField(
        help_text="Events recorded up to this moment are in this digest."
    )
    state = models.CharField(
        max_length=10, choices=DigestState.choices, default=DigestState.PENDING
    )
    claim_token = models.CharField(max_length=32, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    event_count = models.PositiveIntegerField(default=0)
    deadline_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_start", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "frequency", "period_start"], name="digest_one_per_user_period"
            ),
            models.CheckConstraint(
                condition=Q(frequency__in=DIGEST_FREQUENCIES), name="digest_frequency_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=DigestState.values), name="digest_state_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["frequency", "period_start", "state"], name="digest_period_state_idx"
            ),
            models.Index(
                fields=["claim_token"], name="digest_claim_idx", condition=~Q(claim_token="")
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_frequency_display()} for {self.user} of {self.period_start}: {self.state}"
        )


def generate_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret in a user's personal calendar URL: calendar apps send no headers, so the
    URL itself is the credential. Regenerating it cuts off every old copy of the URL."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(
        max_length=64, unique=True, default=generate_feed_token, editable=False
    )
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"

    def regenerate(self) -> None:
        self.token = generate_feed_token()
        self.save(update_fields=["token", "created_at"])
