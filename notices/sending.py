"""Claim a delivery, commit, send, record: no database lock is held during network I/O.

A batch is claimed with one UPDATE, its emails go over one connection of Django's mail
backend, and each attempt is recorded through the ORM as soon as it is made (an UPDATE
of the rows still ours, the attempt's row added), so a worker killed mid-batch leaves
only the notice in flight to be sent again.

What a recorded attempt leaves to do later (a retry, telling an owner their endpoint was
disabled) is handed to the caller's `FollowUps`, after commit: this module sends, the
tasks above it schedule."""

from __future__ import annotations

import datetime
import logging
import operator
import random
import smtplib
import time
from collections import Counter, deque
from dataclasses import dataclass
from functools import reduce
from typing import Protocol

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Prefetch, Q, prefetch_related_objects
from django.utils import timezone

from database.writes import commit_without_waiting_for_flush, writes_without_waiting_for_flush
from tracker.data_version import KeptWhileUnchanged
from tracker.models import ReviewDeal

from .choices import Channel, DeliveryKind, DeliveryState
from .emails import NoticeEmails, send_notice_email
from .models import Delivery, DeliveryAttempt, WebhookEndpoint
from .outcome import Outcome
from .webhooks import WebhookBodies, WebhookPools, send_webhook

logger = logging.getLogger(__name__)


class FollowUps(Protocol):
    """What a recorded attempt may leave to do, called once its record has committed."""

    def retry(self, delivery_id: int, countdown: float) -> None: ...

    def endpoint_disabled(self, endpoint_id: int) -> None: ...


def retry_delay(attempts_made: int) -> float:
    """Seconds to wait before the next attempt: exponential, with jitter so a receiver
    that comes back is not hit by every retry at once. With the defaults (30 s, x3.5,
    8 attempts) the last attempt comes about a day after the first."""
    base = settings.NOTICES_RETRY_BASE_SECONDS * settings.NOTICES_RETRY_FACTOR ** (
        attempts_made - 1
    )
    jitter = settings.NOTICES_RETRY_JITTER
    return base * random.uniform(1 - jitter, 1 + jitter)  # noqa: S311 spreads retries; no secret


# A batch's tally of deliveries it sent but whose claim another worker had taken over by
# the time it marked them: the new owner marks them (and may send them again).
TAKEN_OVER = "taken over"


def owned(deliveries) -> Q:
    """Rows still held by the claims we made: a worker that took a delivery over after
    our lease ran out has raised its attempt count."""
    return reduce(operator.or_, (Q(pk=d.pk, attempts=d.attempts) for d in deliveries), Q(pk__in=[]))


def claim_many(delivery_ids: list[int]) -> list[Delivery]:
    """Take the due deliveries among `delivery_ids` for one attempt each, under a lease,
    and commit at once. Deliveries not due, already delivered, or held by another worker
    are left out."""
    now = timezone.now()
    with transaction.atomic():
        commit_without_waiting_for_flush()  # a lost claim only means a resend
        deliveries = list(
            # What is each delivery's own comes in this one query; only the delivery rows
            # are locked.
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user", "endpoint", "subscription")
            .due(now)
            .filter(pk__in=delivery_ids)
            .order_by("pk")
        )
        if not deliveries:
            return []
        claimed_until = now + datetime.timedelta(seconds=settings.NOTICES_CLAIM_LEASE_SECONDS)
        Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(
            state=DeliveryState.SENDING,
            attempts=F("attempts") + 1,
            claimed_until=claimed_until,
            updated_at=now,
        )
    # What the deliveries share (their event, its deal, proceeding and regulator, the deals
    # the proceeding covers, what each subscription follows), read after the claim's commit
    # rather than under its row locks: one query per kind for the whole batch, one object
    # per row however many deliveries share it.
    prefetch_related_objects(
        deliveries,
        "event__deal",
        "event__review__deal",
        "event__review__regulator",
        Prefetch("event__review__deal_links", ReviewDeal.objects.select_related("deal")),
        "subscription__deal",
        "subscription__regulator",
        "subscription__review",
    )
    for delivery in deliveries:
        delivery.state = DeliveryState.SENDING
        delivery.attempts += 1
        delivery.claimed_until = claimed_until
    return deliveries


def claim(delivery_id: int) -> Delivery | None:
    """Take one delivery; None when it is not due, already delivered, or held elsewhere."""
    claimed = claim_many([delivery_id])
    return claimed[0] if claimed else None


def renew_lease(deliveries: list[Delivery]) -> list[Delivery]:
    """Extend the lease on the deliveries a batch has yet to send; returns those still ours."""
    if not deliveries:
        return []
    now = timezone.now()
    with transaction.atomic():
        commit_without_waiting_for_flush()
        ours = set(
            Delivery.objects.select_for_update(of=("self",))
            .filter(owned(deliveries), state=DeliveryState.SENDING)
            .values_list("pk", flat=True)
        )
        claimed_until = now + datetime.timedelta(seconds=settings.NOTICES_CLAIM_LEASE_SECONDS)
        Delivery.objects.filter(pk__in=ours).update(claimed_until=claimed_until)
    return [d for d in deliveries if d.pk in ours]


class SMTPSession:
    """One connection of Django's mail backend shared by the emails of a batch, opened on
    first use (the backend closes after each send a connection it opened itself) and
    dropped after a failure so the next email starts afresh."""

    def __init__(self):
        self._connection = None

    def get(self):
        if self._connection is None:
            self._connection = get_connection(fail_silently=False)
            self._connection.open()
        return self._connection

    def reset(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:  # noqa: S110 closing a broken connection may fail again; it is gone
                pass
            self._connection = None


def _renderings() -> tuple[NoticeEmails, WebhookBodies]:
    return NoticeEmails(), WebhookBodies()


# An event's notice and webhook data, worked out once per worker process rather than once
# per batch: a large fan-out is many batches of the same event. Kept while the data is
# unchanged, so an edit of the event, its proceeding or a followed target is rendered anew.
RENDERINGS = KeptWhileUnchanged(_renderings)


class Connections:
    """What the sends of one batch share: an SMTP connection, the webhook HTTP pools, and
    the notice emails and webhook bodies worked out once for every follower of an event
    (`renderings`: read the data version before the deliveries they render)."""

    def __init__(self, renderings: tuple[NoticeEmails, WebhookBodies] | None = None):
        self.smtp = SMTPSession()
        self.webhooks = WebhookPools()
        self.emails, self.webhook_bodies = renderings or _renderings()

    def __enter__(self) -> Connections:
        return self

    def __exit__(self, *exc) -> None:
        self.smtp.reset()
        self.webhooks.close()


def attempt(delivery: Delivery, connections: Connections) -> Outcome:
    if delivery.channel == Channel.EMAIL:
        try:
            outcome = send_notice_email(
                delivery, connection=connections.smtp.get(), shared=connections.emails
            )
        except (OSError, smtplib.SMTPException) as exc:  # could not even connect
            outcome = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
        if not outcome.ok:
            connections.smtp.reset()
        return outcome
    endpoint = delivery.endpoint
    if not endpoint.is_active and delivery.kind == DeliveryKind.NOTICE:
        return Outcome(ok=False, error="The endpoint is disabled.", retryable=False)
    return send_webhook(delivery, connections.webhooks, connections.webhook_bodies)


@dataclass(frozen=True)
class Sent:
    """One attempt made, not yet recorded."""

    delivery: Delivery
    outcome: Outcome
    started: datetime.datetime
    duration_ms: int


def send(delivery: Delivery, connections: Connections) -> Sent:
    started = timezone.now()
    clock = time.monotonic()
    try:
        outcome = attempt(delivery, connections)
    except Exception as exc:  # a bug or an unexpected library error: record it, retry later
        logger.exception("Delivery %s failed unexpectedly", delivery.uuid)
        outcome = Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    return Sent(delivery, outcome, started, int((time.monotonic() - clock) * 1000))


def deliver(delivery_id: int, followups: FollowUps) -> str | None:
    """One attempt at one delivery. Returns the state it was left in, or None if not claimed."""
    renderings = RENDERINGS.get()  # the version before the data it renders is read
    delivery = claim(delivery_id)
    if delivery is None:
        return None
    with Connections(renderings) as connections:
        sent = send(delivery, connections)
    with writes_without_waiting_for_flush():
        return record(sent.delivery, sent.outcome, sent.started, sent.duration_ms, followups)


def deliver_many(delivery_ids: list[int], followups: FollowUps) -> dict[str, int]:
    """A batch: claimed in one query, sent one after another over shared connections,
    each recorded as soon as it is sent, so a worker killed mid-batch leaves only the
    notice it was sending to be sent again. The lease on the rest is renewed every half
    lease, so a long batch keeps its deliveries. Returns a count per resulting state."""
    renderings = RENDERINGS.get()  # the version before the data it renders is read
    queue = deque(claim_many(delivery_ids))
    counts = Counter(
        {"not claimed": len(delivery_ids) - len(queue)} if len(queue) < len(delivery_ids) else {}
    )
    half_lease = settings.NOTICES_CLAIM_LEASE_SECONDS / 2
    renew_at = time.monotonic() + half_lease
    with Connections(renderings) as connections, writes_without_waiting_for_flush():
        while queue:
            if time.monotonic() >= renew_at:
                queue = deque(renew_lease(list(queue)))
                renew_at = time.monotonic() + half_lease
                continue
            sent = send(queue.popleft(), connections)
            if sent.outcome.ok:
                counts.update(record_delivered([sent]))
            else:
                counts[
                    record(sent.delivery, sent.outcome, sent.started, sent.duration_ms, followups)
                ] += 1
    return dict(counts)


def _attempt_row(sent: Sent) -> DeliveryAttempt:
    return DeliveryAttempt(
        delivery=sent.delivery,
        number=sent.delivery.attempts,
        started_at=sent.started,
        duration_ms=sent.duration_ms,
        succeeded=sent.outcome.ok,
        status_code=sent.outcome.status_code,
        error=sent.outcome.error[:500],
    )


def record_delivered(succeeded: list[Sent]) -> dict[str, int]:
    """Mark successful attempts: their state (one UPDATE per status code), then their log
    rows (one INSERT) and the health of the endpoints they reached. Each statement commits
    on its own, rather than in a transaction's extra round trips: a crash between them
    loses a log row, never a mark."""
    if not succeeded:
        return {}
    now = timezone.now()
    # Endpoints that had failed before this claim (as read with it): reset their count.
    healthy_endpoints = {
        sent.delivery.endpoint_id
        for sent in succeeded
        if sent.delivery.channel == Channel.WEBHOOK
        and sent.delivery.kind == DeliveryKind.NOTICE
        and sent.delivery.endpoint.consecutive_failures
    }
    by_status_code: dict[int | None, list[Delivery]] = {}
    for sent in succeeded:
        by_status_code.setdefault(sent.outcome.status_code, []).append(sent.delivery)
    # The caller's connection does not wait for the WAL flush (`writes_without_waiting_for_flush`):
    # a lost mark only means a resend, which receivers de-duplicate.
    marked = 0
    for status_code, deliveries in by_status_code.items():
        # Only rows whose claim is still ours; one taken over is the new owner's to mark.
        marked += Delivery.objects.filter(owned(deliveries)).update(
            state=DeliveryState.DELIVERED,
            delivered_at=now,
            updated_at=now,
            last_status_code=status_code,
            last_error="",
            claimed_until=None,
        )
    DeliveryAttempt.objects.bulk_create([_attempt_row(sent) for sent in succeeded])
    if healthy_endpoints:
        WebhookEndpoint.objects.filter(pk__in=healthy_endpoints, consecutive_failures__gt=0).update(
            consecutive_failures=0
        )
    counts = {DeliveryState.DELIVERED: marked}
    if marked < len(succeeded):
        counts[TAKEN_OVER] = len(succeeded) - marked
    return counts


def record(
    delivery: Delivery, outcome: Outcome, started, duration_ms: int, followups: FollowUps
) -> str:
    """Record one attempt: delivered, or failed for good, or pending its retry."""
    sent = Sent(delivery, outcome, started, duration_ms)
    if outcome.ok:
        if record_delivered([sent]).get(DeliveryState.DELIVERED):
            return DeliveryState.DELIVERED
        # Taken over by another worker after our lease ran out: the state is theirs.
        return Delivery.objects.values_list("state", flat=True).get(pk=delivery.pk)
    now = timezone.now()
    with transaction.atomic():
        commit_without_waiting_for_flush()  # a lost mark only means a resend, which receivers de-duplicate
        _attempt_row(sent).save()
        # Only the worker whose claim still stands may move the state on.
        current = Delivery.objects.filter(owned([delivery]))
        changes = dict(
            last_status_code=outcome.status_code, last_error=outcome.error[:500], claimed_until=None
        )
        give_up = not outcome.retryable or delivery.attempts >= settings.NOTICES_MAX_ATTEMPTS
        if delivery.kind == DeliveryKind.PING:
            give_up = True  # a ping is a test: one attempt, reported as it went
        if give_up:
            state = DeliveryState.FAILED
            still_ours = current.update(state=state, updated_at=now, **changes)
        else:
            state = DeliveryState.PENDING
            delay = retry_delay(delivery.attempts)
            still_ours = current.update(
                state=state,
                next_attempt_at=now + datetime.timedelta(seconds=delay),
                updated_at=now,
                **changes,
            )
            # Short waits ride on the broker; long ones are left to the periodic re-enqueue,
            # so no message sits unacknowledged past the broker's visibility timeout.
            if still_ours and delay <= settings.NOTICES_MAX_COUNTDOWN_SECONDS:
                transaction.on_commit(lambda: followups.retry(delivery.pk, delay), robust=True)

        if not still_ours:
            # The lease ran out mid-send and another worker took the delivery over: the
            # attempt is logged, but the state is theirs to set.
            return Delivery.objects.values_list("state", flat=True).get(pk=delivery.pk)
        if delivery.channel == Channel.WEBHOOK and delivery.kind == DeliveryKind.NOTICE:
            endpoint_disabled = _track_failure(delivery.endpoint_id, gave_up=give_up)
            if endpoint_disabled:
                transaction.on_commit(
                    lambda: followups.endpoint_disabled(delivery.endpoint_id), robust=True
                )
    return state


def _track_failure(endpoint_id: int, *, gave_up: bool) -> bool:
    """Count failures in a row; disable the endpoint when a notice to it has failed on
    every attempt (about a day of failures). Returns True if this call disabled it."""
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        consecutive_failures=F("consecutive_failures") + 1
    )
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


def due_delivery_ids(limit: int) -> list[int]:
    """Deliveries left behind: pending past their time plus a grace period (the broker
    was down at commit, or a long retry wait), or claimed by a worker that died."""
    now = timezone.now()
    stale_after = now - datetime.timedelta(seconds=settings.NOTICES_REQUEUE_GRACE_SECONDS)
    pending = Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=stale_after)
    abandoned = Delivery.objects.filter(state=DeliveryState.SENDING, claimed_until__lt=now)
    return list(
        (pending | abandoned).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]
    )
