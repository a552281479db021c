"""The deliveries outbox: one row per notice to send, written in the caller's transaction."""

from __future__ import annotations

from django.utils import timezone

from tracker.models import Event

from .choices import Channel, DeliveryKind
from .matching import pick_per_user_and_channel, subscriptions_for
from .models import Delivery, WebhookEndpoint


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
    for endpoint in WebhookEndpoint.objects.filter(
        user_id__in=webhook_users, is_active=True
    ).order_by("id"):
        endpoints.setdefault(endpoint.user_id, []).append(endpoint)

    rows = []
    for (user_id, channel), sub in chosen.items():
        common = dict(
            user_id=user_id,
            event=event,
            subscription=sub,
            kind=DeliveryKind.NOTICE,
            next_attempt_at=now,
        )
        if channel == Channel.EMAIL:
            if sub.user.email:
                rows.append(Delivery(channel=Channel.EMAIL, **common))
        else:
            rows.extend(
                Delivery(channel=Channel.WEBHOOK, endpoint=ep, **common)
                for ep in endpoints.get(user_id, [])
            )
    return Delivery.objects.bulk_create(rows, batch_size=500)


def record_ping(endpoint: WebhookEndpoint) -> Delivery:
    """A test delivery to an endpoint (even a disabled one, to check it before turning it back on)."""
    return Delivery.objects.create(
        user_id=endpoint.user_id,
        kind=DeliveryKind.PING,
        channel=Channel.WEBHOOK,
        endpoint=endpoint,
        next_attempt_at=timezone.now(),
    )
