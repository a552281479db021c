"""Signed one-click unsubscribe from all of a user's digests of one frequency."""

from __future__ import annotations

from notices.models import Subscription
from notices.unsubscribe import SignedLink

DIGEST_LINK = SignedLink(salt="digests.unsubscribe", view="digests:unsubscribe")


def digest_unsubscribe_url(user_id: int, frequency: str) -> str:
    return DIGEST_LINK.url({"u": user_id, "f": frequency})


def read_token(token: str) -> dict | None:
    return DIGEST_LINK.read(token)


def stop_digest_emails(data: dict) -> int:
    """Turn email off on the user's subscriptions of that frequency; drop those left with
    no channel. Idempotent: returns how many subscriptions it changed."""
    subscriptions = Subscription.objects.filter(
        user_id=data.get("u"), frequency=data.get("f"), by_email=True
    )
    kept = subscriptions.filter(by_webhook=True).update(by_email=False)
    dropped, _ = subscriptions.filter(by_webhook=False).delete()
    return kept + dropped
