"""Celery tasks: thin wrappers around sending, and the publishing of deliveries to workers."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .emails import send_endpoint_disabled_email
from .models import WebhookEndpoint
from .sending import deliver as deliver_one
from .sending import deliver_many, due_delivery_ids

logger = logging.getLogger(__name__)


class TaskFollowUps:
    """Sending's follow-ups, done as tasks: a short retry wait rides on the broker."""

    def retry(self, delivery_id: int, countdown: float) -> None:
        deliver.apply_async((delivery_id,), countdown=countdown)

    def endpoint_disabled(self, endpoint_id: int) -> None:
        notify_endpoint_disabled.delay(endpoint_id)


FOLLOW_UPS = TaskFollowUps()


@shared_task(name="notices.deliver", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def deliver(delivery_id: int) -> str | None:
    return deliver_one(delivery_id, FOLLOW_UPS)


@shared_task(
    name="notices.deliver_batch", acks_late=True, reject_on_worker_lost=True, ignore_result=True
)
def deliver_batch(delivery_ids: list[int]) -> dict[str, int]:
    """Several deliveries in one task: less broker traffic, one SMTP connection. A batch
    redelivered after a worker died skips what was already delivered (claims check)."""
    return deliver_many(delivery_ids, FOLLOW_UPS)


def enqueue(delivery_ids: list[int]) -> None:
    """Hand deliveries to workers, NOTICES_BATCH_SIZE per task. A broker that is down is
    logged, not raised: the rows stay pending and the periodic re-enqueue picks them up."""
    size = max(1, settings.NOTICES_BATCH_SIZE)
    for start in range(0, len(delivery_ids), size):
        batch = delivery_ids[start : start + size]
        try:
            deliver_batch.delay(batch)
        except Exception:
            logger.exception(
                "Could not enqueue %d deliveries (first %d); they stay pending for the periodic re-enqueue.",
                len(delivery_ids) - start,
                batch[0],
            )
            return


@shared_task(name="notices.enqueue_many", acks_late=True, ignore_result=True)
def enqueue_many(delivery_ids: list[int]) -> None:
    enqueue(delivery_ids)


@shared_task(name="notices.requeue_due", ignore_result=True)
def requeue_due() -> int:
    """Hand workers every delivery left behind, so nothing recorded is ever lost."""
    ids = due_delivery_ids(limit=settings.NOTICES_REQUEUE_BATCH)
    if ids:
        logger.info("Re-enqueueing %d deliveries", len(ids))
        enqueue(ids)
    return len(ids)


@shared_task(name="notices.notify_endpoint_disabled", acks_late=True, ignore_result=True)
def notify_endpoint_disabled(endpoint_id: int) -> bool:
    """Tell the owner, once, that their endpoint was disabled."""
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
