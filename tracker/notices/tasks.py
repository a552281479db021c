"""Celery tasks: thin wrappers around the sending functions."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger(__name__)


@shared_task(name="notices.deliver", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver(delivery_id: int) -> str | None:
    from .sending import deliver as deliver_one

    return deliver_one(delivery_id)


@shared_task(name="notices.deliver_batch", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver_batch(delivery_ids: list[int]) -> dict[str, int]:
    """Several deliveries in one task: less broker traffic, one SMTP connection. A batch
    redelivered after a worker died skips what was already delivered (claims check)."""
    from .sending import deliver_many

    return deliver_many(delivery_ids)


@shared_task(name="notices.enqueue_many", acks_late=True, ignore_result=True)
def enqueue_many(delivery_ids: list[int]) -> None:
    from .outbox import enqueue

    enqueue(delivery_ids)


@shared_task(name="notices.requeue_due", ignore_result=True)
def requeue_due() -> int:
    """Hand workers every delivery left behind, so nothing recorded is ever lost."""
    from .outbox import enqueue
    from .sending import due_delivery_ids

    ids = due_delivery_ids(limit=settings.NOTICES_REQUEUE_BATCH)
    if ids:
        logger.info("Re-enqueueing %d deliveries", len(ids))
        enqueue(ids)
    return len(ids)


@shared_task(name="notices.notify_endpoint_disabled", acks_late=True, ignore_result=True)
def notify_endpoint_disabled(endpoint_id: int) -> bool:
    """Tell the owner, once, that their endpoint was disabled."""
    from .emails import send_endpoint_disabled_email
    from .models import WebhookEndpoint

    claimed = WebhookEndpoint.objects.filter(
        pk=endpoint_id, is_active=False, owner_notified_at__isnull=True
    ).update(owner_notified_at=timezone.now())
    if not claimed:
        return False
    endpoint = WebhookEndpoint.objects.select_related("user").get(pk=endpoint_id)
    if endpoint.user.email:
        try:
            send_endpoint_disabled_email(endpoint)
        except Exception:
            # Let a later run try again rather than never telling the owner.
            WebhookEndpoint.objects.filter(pk=endpoint_id).update(owner_notified_at=None)
            raise
    return True
