"""Signed one-click unsubscribe links: the token is the only credential needed. A link
lives UNSUBSCRIBE_LINK_MAX_AGE_DAYS; an older one of ours can ask for a fresh link, which
goes to the account's own address."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from tracker.links import absolute, reverse_with_token

from .models import Subscription


@dataclass(frozen=True)
class SignedLink:
    """One kind of unsubscribe link: its signing salt and the view it opens."""

    salt: str
    view: str

    def token(self, data: dict) -> str:
        return signing.dumps(data, salt=self.salt, compress=True)

    def url(self, data: dict) -> str:
        return absolute(reverse_with_token(self.view, self.token(data)))

    def read(self, token: str) -> dict | None:
        """The link's contents, if it is ours and within its lifetime."""
        try:
            return signing.loads(token, salt=self.salt, max_age=_lifetime())
        except signing.BadSignature:  # SignatureExpired included
            return None

    def read_expired(self, token: str) -> dict | None:
        """The contents of a link of ours past its lifetime (to send a fresh one); None
        for a link that is still good or not ours."""
        try:
            signing.loads(token, salt=self.salt, max_age=_lifetime())
        except signing.SignatureExpired:
            return signing.loads(token, salt=self.salt)
        except signing.BadSignature:
            return None
        return None


def _lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS)


NOTICE_LINK = SignedLink(salt="notices.unsubscribe", view="notices:unsubscribe")


def make_token(subscription: Subscription) -> str:
    return NOTICE_LINK.token({"s": subscription.pk, "u": subscription.user_id})


def unsubscribe_url(subscription: Subscription) -> str:
    return NOTICE_LINK.url({"s": subscription.pk, "u": subscription.user_id})


def read_token(token: str) -> dict | None:
    return NOTICE_LINK.read(token)


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
