"""Unsubscribe links expire (UNSUBSCRIBE_LINK_MAX_AGE_DAYS); an expired one of ours offers
a fresh link, sent to the account's own address."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from digests.unsubscribe import digest_unsubscribe_url
from notices.models import Subscription
from notices.unsubscribe import make_token
from tests.factories import SubscriptionFactory, UserFactory

pytestmark = pytest.mark.django_db


def later(days):
    return time_machine.travel(timezone.now() + datetime.timedelta(days=days))


def test_a_link_works_within_its_lifetime_and_expires_after_it(client, settings):
    settings.UNSUBSCRIBE_LINK_MAX_AGE_DAYS = 90
    subscription = SubscriptionFactory(user=UserFactory(email="reader@example.org"))
    url = reverse("notices:unsubscribe", args=[make_token(subscription)])

    with later(89):
        assert client.get(url).status_code == 200
    with later(91):
        page = client.get(url)
        assert page.status_code == 410 and b"This link has expired" in page.content
        assert client.post(url).status_code == 410  # asks for a fresh link; stops nothing
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_an_expired_link_sends_a_fresh_one_to_the_accounts_address_and_it_works(client):
    subscription = SubscriptionFactory(user=UserFactory(email="reader@example.org"))
    old = reverse("notices:unsubscribe", args=[make_token(subscription)])

    with later(120):
        page = client.post(old)
        assert b"A fresh link is on its way" in page.content
        [message] = mail.outbox
        assert message.to == ["reader@example.org"]
        fresh = re.search(r"https?://\S+/notices/unsubscribe/\S+/", message.body).group(0)
        path = fresh.split("://", 1)[1].split("/", 1)[1]
        assert client.post(f"/{path}").status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_a_forged_link_is_refused_and_sends_nothing(client):
    subscription = SubscriptionFactory()
    token = make_token(subscription)
    with later(120):
        assert (
            client.post(reverse("notices:unsubscribe", args=[token[:-3] + "abc"])).status_code
            == 400
        )
    assert mail.outbox == []


def test_digest_links_expire_the_same_way(client):
    user = UserFactory(email="digest@example.org")
    SubscriptionFactory(user=user, frequency="daily")
    url = digest_unsubscribe_url(user.pk, "daily")
    path = "/" + url.split("://", 1)[1].split("/", 1)[1]

    with later(91):
        assert client.get(path).status_code == 410
        client.post(path)
    [message] = mail.outbox
    assert message.to == ["digest@example.org"] and "/digests/unsubscribe/" in message.body
