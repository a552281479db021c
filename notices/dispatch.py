"""Where notices start: a recorded event (a status change, a decision, a filing) records its
deliveries in its own transaction, and only after commit are they handed to workers, so a
rolled-back change sends nothing."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction

from tracker.models import Event

from .models import Delivery, WebhookEndpoint
from .outbox import record_deliveries, record_ping
from .tasks import enqueue, enqueue_many

logger = logging.getLogger(__name__)


def on_event_recorded(sender, event: Event, notify: bool = True, **kwargs) -> None:
    """Receiver of the core's `event_recorded`, inside the transaction that writes the event.
    History (`notify=False`) is not announced as an immediate notice."""
    if notify:
        record_and_hand_over(event)


def record_and_hand_over(event: Event) -> list[Delivery]:
    deliveries = record_deliveries(event)
    if deliveries:
        ids = [d.pk for d in deliveries]
        transaction.on_commit(lambda: hand_over(ids), robust=True)
    return deliveries


def hand_over(delivery_ids: list[int]) -> None:
    """A few tasks are published at once; a large fan-out is published by a worker, so
    the request that changed the status does not wait for a thousand publishes."""
    if len(delivery_ids) <= settings.NOTICES_FANOUT_IN_WORKER_ABOVE:
        enqueue(delivery_ids)
        return
    try:
        enqueue_many.delay(delivery_ids)
    except Exception:
        logger.exception(
            "Could not enqueue the fan-out of %d deliveries; the periodic re-enqueue will.",
            len(delivery_ids),
        )


def ping(endpoint: WebhookEndpoint) -> Delivery:
    """Send a signed test delivery to `endpoint` after commit."""
    with transaction.atomic():
        delivery = record_ping(endpoint)
        transaction.on_commit(lambda: enqueue([delivery.pk]), robust=True)
    return delivery
