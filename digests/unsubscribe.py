"""Signed one-click unsubscribe from all of a user's digests of one frequency."""

from __future__ import annotations

from django.core import signing

from notices.models import Subscription
from tracker.links import absolute, reverse_with_token

SALT = "digests.unsubscribe"


def make_token(user_id: int, frequency: str) -> str:
    return signing.dumps({"u": user_id, "f": frequency}, salt=SALT, compress=True)


def digest_unsubscribe_url(user_id: int, frequency: str) -> str:
    return absolute(reverse_with_token("digests:unsubscribe", make_token(user_id, frequency)))


def read_token(token: str) -> dict | None:
    try:
        return signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None


def stop_digest_emails(data: dict) -> int:
    """Turn email off on the user's subscriptions of that frequency; drop those left with
    no channel. Idempotent: returns how many subscriptions it changed."""
    subscriptions = Subscription.objects.filter(
        user_id=data.get("u"), frequency=data.get("f"), by_email=True
    )
    kept = subscriptions.filter(by_webhook=True).update(by_email=False)
    dropped, _ = subscriptions.filter(by_webhook=False).delete()
    return kept + dropped
