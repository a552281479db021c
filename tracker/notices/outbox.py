"""Recording deliveries in the event's transaction, and handing them to workers after commit."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Event
from .choices import Channel, DeliveryKind
from .matching import pick_per_user_and_channel, subscriptions_for
from .models import Delivery, WebhookEndpoint

logger = logging.getLogger(__name__)


def record_deliveries(event: Event) -> list[Delivery]:
    """Write one pending delivery per matching immediate subscriber and channel.

    Runs inside the caller's transaction: a rolled-back event leaves no delivery, and a
    committed one always has its deliveries, whatever happens to the broker.
    """
    chosen = pick_per_user_and_channel(subscriptions_for(event))
    if not chosen:
        return []
    now = timezone.now()
    webhook_users = {user_id for (user_id, channel) in chosen if channel == Channel.WEBHOOK}
    endpoints: dict[int, list[WebhookEndpoint]] = {}
    for endpoint in WebhookEndpoint.objects.filter(user_id__in=webhook_users, is_active=True).order_by("id"):
        endpoints.setdefault(endpoint.user_id, []).append(endpoint)

    rows = []
    for (user_id, channel), sub in chosen.items():
        common = dict(user_id=user_id, event=event, subscription=sub, kind=DeliveryKind.NOTICE, next_attempt_at=now)
        if channel == Channel.EMAIL:
            if sub.user.email:
                rows.append(Delivery(channel=Channel.EMAIL, **common))
        else:
            rows.extend(Delivery(channel=Channel.WEBHOOK, endpoint=ep, **common) for ep in endpoints.get(user_id, []))
    deliveries = Delivery.objects.bulk_create(rows, batch_size=500)
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: hand_over(ids), robust=True)
    return deliveries


def hand_over(delivery_ids: list[int]) -> None:
    """A few tasks are published at once; a large fan-out is published by a worker, so
    the request that changed the status does not wait for a thousand publishes."""
    from .tasks import enqueue_many

    if len(delivery_ids) <= settings.NOTICES_FANOUT_IN_WORKER_ABOVE:
        enqueue(delivery_ids)
        return
    try:
        enqueue_many.delay(delivery_ids)
    except Exception:
        logger.exception("Could not enqueue the fan-out of %d deliveries; the periodic re-enqueue will.", len(delivery_ids))


def record_ping(endpoint: WebhookEndpoint) -> Delivery:
    """A test delivery to an endpoint (even a disabled one, to check it before turning it back on)."""
    with transaction.atomic():
        delivery = Delivery.objects.create(
            user_id=endpoint.user_id,
            kind=DeliveryKind.PING,
            channel=Channel.WEBHOOK,
            endpoint=endpoint,
            next_attempt_at=timezone.now(),
        )
        transaction.on_commit(lambda: enqueue([delivery.pk]), robust=True)
    return delivery


def enqueue(delivery_ids: list[int]) -> None:
    """Hand deliveries to workers, NOTICES_BATCH_SIZE per task. A broker that is down is
    logged, not raised: the rows stay pending and the periodic re-enqueue picks them up."""
    from .tasks import deliver_batch

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
