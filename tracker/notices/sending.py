"""Claim a delivery, commit, send, record: no database lock is held during network I/O."""

from __future__ import annotations

import datetime
import logging
import random
import smtplib
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..db import commit_without_waiting_for_flush
from .choices import Channel, DeliveryKind, DeliveryState
from .emails import send_notice_email
from .models import Delivery, DeliveryAttempt, WebhookEndpoint
from .webhooks import send_webhook

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    ok: bool
    status_code: int | None = None
    error: str = ""
    retryable: bool = True


def retry_delay(attempts_made: int) -> float:
    """Seconds to wait before the next attempt: exponential, with jitter so a receiver
    that comes back is not hit by every retry at once. With the defaults (30 s, x3.5,
    8 attempts) the last attempt comes about a day after the first."""
    base = settings.NOTICES_RETRY_BASE_SECONDS * settings.NOTICES_RETRY_FACTOR ** (attempts_made - 1)
    jitter = settings.NOTICES_RETRY_JITTER
    return base * random.uniform(1 - jitter, 1 + jitter)


def claim(delivery_id: int) -> Delivery | None:
    """Take the delivery for one attempt, under a lease, and commit at once.

    Returns None when it is not due, already delivered, or another worker holds it.
    """
    now = timezone.now()
    with transaction.atomic():
        commit_without_waiting_for_flush()  # a lost claim only means a resend
        delivery = (
            # Everything the email or webhook needs comes in this one query; only the
            # delivery row is locked.
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related(
                "user", "endpoint", "event__deal", "event__review__deal", "event__review__regulator",
                "subscription__deal", "subscription__regulator", "subscription__review",
            )
            .due(now)
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        delivery.state = DeliveryState.SENDING
        delivery.attempts += 1
        delivery.claimed_until = now + datetime.timedelta(seconds=settings.NOTICES_CLAIM_LEASE_SECONDS)
        delivery.save(update_fields=["state", "attempts", "claimed_until", "updated_at"])
    return delivery


class SMTPSession:
    """One SMTP connection shared by the emails of a batch, opened on first use and
    dropped after a failure so the next email starts afresh."""

    def __init__(self):
        self._connection = None

    def get(self):
        if self._connection is None:
            from django.core.mail import get_connection

            self._connection = get_connection(fail_silently=False)
            self._connection.open()
        return self._connection

    def reset(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # closing a broken connection may fail again; it is gone either way
                pass
            self._connection = None


def attempt(delivery: Delivery, smtp: SMTPSession | None = None) -> Outcome:
    if delivery.channel == Channel.EMAIL:
        if smtp is None:
            return send_notice_email(delivery)
        try:
            outcome = send_notice_email(delivery, connection=smtp.get())
        except (OSError, smtplib.SMTPException) as exc:  # could not even connect
            outcome = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
        if not outcome.ok:
            smtp.reset()
        return outcome
    endpoint = delivery.endpoint
    if not endpoint.is_active and delivery.kind == DeliveryKind.NOTICE:
        return Outcome(ok=False, error="The endpoint is disabled.", retryable=False)
    return send_webhook(delivery)


def deliver(delivery_id: int, smtp: SMTPSession | None = None) -> str | None:
    """One attempt at one delivery. Returns the state it was left in, or None if not claimed."""
    delivery = claim(delivery_id)
    if delivery is None:
        return None
    started = timezone.now()
    clock = time.monotonic()
    try:
        outcome = attempt(delivery, smtp)
    except Exception as exc:  # a bug or an unexpected library error: record it, retry later
        logger.exception("Delivery %s failed unexpectedly", delivery.uuid)
        outcome = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    duration_ms = int((time.monotonic() - clock) * 1000)
    return record(delivery, outcome, started, duration_ms)


def record(delivery: Delivery, outcome: Outcome, started, duration_ms: int) -> str:
    from .tasks import deliver as deliver_task, notify_endpoint_disabled

    now = timezone.now()
    with transaction.atomic():
        commit_without_waiting_for_flush()  # a lost mark only means a resend, which receivers de-duplicate
        DeliveryAttempt.objects.create(
            delivery=delivery,
            number=delivery.attempts,
            started_at=started,
            duration_ms=duration_ms,
            succeeded=outcome.ok,
            status_code=outcome.status_code,
            error=outcome.error[:500],
        )
        # Only the worker whose claim still stands may move the state on.
        current = Delivery.objects.filter(pk=delivery.pk, attempts=delivery.attempts)
        changes = dict(last_status_code=outcome.status_code, last_error=outcome.error[:500], claimed_until=None)
        give_up = not outcome.retryable or delivery.attempts >= settings.NOTICES_MAX_ATTEMPTS
        if delivery.kind == DeliveryKind.PING:
            give_up = True  # a ping is a test: one attempt, reported as it went
        if outcome.ok:
            state = DeliveryState.DELIVERED
            still_ours = current.update(state=state, delivered_at=now, updated_at=now, **changes)
        elif give_up:
            state = DeliveryState.FAILED
            still_ours = current.update(state=state, updated_at=now, **changes)
        else:
            state = DeliveryState.PENDING
            delay = retry_delay(delivery.attempts)
            still_ours = current.update(
                state=state, next_attempt_at=now + datetime.timedelta(seconds=delay), updated_at=now, **changes
            )
            # Short waits ride on the broker; long ones are left to the periodic re-enqueue,
            # so no message sits unacknowledged past the broker's visibility timeout.
            if still_ours and delay <= settings.NOTICES_MAX_COUNTDOWN_SECONDS:
                transaction.on_commit(
                    lambda: deliver_task.apply_async((delivery.pk,), countdown=delay), robust=True
                )

        if not still_ours:
            # The lease ran out mid-send and another worker took the delivery over: the
            # attempt is logged, but the state is theirs to set.
            return Delivery.objects.values_list("state", flat=True).get(pk=delivery.pk)
        if delivery.channel == Channel.WEBHOOK and delivery.kind == DeliveryKind.NOTICE:
            endpoint_disabled = _track_endpoint_health(delivery.endpoint_id, outcome.ok, gave_up=give_up)
            if endpoint_disabled:
                transaction.on_commit(lambda: notify_endpoint_disabled.delay(delivery.endpoint_id), robust=True)
    return state


def _track_endpoint_health(endpoint_id: int, ok: bool, *, gave_up: bool) -> bool:
    """Count failures in a row; disable the endpoint when a notice to it has failed on
    every attempt (about a day of failures). Returns True if this call disabled it."""
    if ok:
        WebhookEndpoint.objects.filter(pk=endpoint_id).update(consecutive_failures=0)
        return False
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(consecutive_failures=F("consecutive_failures") + 1)
    if not gave_up:
        return False
    now = timezone.now()
    disabled = WebhookEndpoint.objects.filter(pk=endpoint_id, is_active=True).update(
        is_active=False,
        disabled_at=now,
        disabled_reason=f"A notice failed on all {settings.NOTICES_MAX_ATTEMPTS} attempts.",
        updated_at=now,
    )
    if disabled:
        Delivery.objects.filter(endpoint_id=endpoint_id, state=DeliveryState.PENDING).update(
            state=DeliveryState.CANCELLED, last_error="The endpoint was disabled.", updated_at=now
        )
    return bool(disabled)


def deliver_many(delivery_ids: list[int]) -> dict[str, int]:
    """Deliveries one after another, each claimed, sent and recorded on its own, with
    the batch's emails sharing one SMTP connection. Returns a count per resulting state."""
    smtp = SMTPSession()
    counts: dict[str, int] = {}
    try:
        for delivery_id in delivery_ids:
            state = deliver(delivery_id, smtp) or "not claimed"
            counts[state] = counts.get(state, 0) + 1
    finally:
        smtp.reset()
    return counts


def due_delivery_ids(limit: int) -> list[int]:
    """Deliveries left behind: pending past their time plus a grace period (the broker
    was down at commit, or a long retry wait), or claimed by a worker that died."""
    now = timezone.now()
    stale_after = now - datetime.timedelta(seconds=settings.NOTICES_REQUEUE_GRACE_SECONDS)
    pending = Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=stale_after)
    abandoned = Delivery.objects.filter(state=DeliveryState.SENDING, claimed_until__lt=now)
    return list((pending | abandoned).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
