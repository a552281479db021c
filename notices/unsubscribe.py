"""Signed one-click unsubscribe links: the token is the only credential needed."""

from __future__ import annotations

from django.core import signing

from tracker.links import absolute, reverse_with_token

from .models import Subscription

SALT = "notices.unsubscribe"


def make_token(subscription: Subscription) -> str:
    return signing.dumps(
        {"s": subscription.pk, "u": subscription.user_id}, salt=SALT, compress=True
    )


def unsubscribe_url(subscription: Subscription) -> str:
    return absolute(reverse_with_token("notices:unsubscribe", make_token(subscription)))


def read_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def stop_email(data: dict) -> bool:
    """Turn email off on the subscription; drop it if no channel is left. Idempotent."""
    subscription = Subscription.objects.filter(pk=data.get("s"), user_id=data.get("u")).first()
    if subscription is None:
        return False
    if subscription.by_webhook:
        subscription.by_email = False
        subscription.save(update_fields=["by_email"])
    else:
        subscription.delete()
    return True
