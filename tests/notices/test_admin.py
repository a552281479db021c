"""Subscriptions, webhook endpoints, deliveries, digests and calendar feeds belong to their
users: in the admin an editor may read them, only a superuser changes them."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from digests.models import CalendarFeed
from notices.models import Subscription, WebhookEndpoint
from tests.factories import UserFactory
from tracker.editors import EDITORS_GROUP


@pytest.fixture
def editor_client(client, db):
    editor = UserFactory(username="ed", is_staff=True)
    editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
    client.force_login(editor)
    return client


@pytest.fixture
def someone_elses_endpoint(db):
    return WebhookEndpoint.objects.create(
        user=UserFactory(username="owner"), url="https://hooks.example.org/owner"
    )


def test_an_editor_neither_reads_nor_redirects_another_users_webhook_endpoint(
    editor_client, someone_elses_endpoint
):
    url = reverse("admin:notices_webhookendpoint_change", args=[someone_elses_endpoint.pk])
    page = editor_client.get(url)
    # The URL often carries the receiver's secret: superusers only.
    assert page.status_code == 403 and b"hooks.example.org/owner" not in page.content

    answer = editor_client.post(
        url, {"url": "https://attacker.example/steal", "user": someone_elses_endpoint.user_id}
    )

    assert answer.status_code == 403
    someone_elses_endpoint.refresh_from_db()
    assert someone_elses_endpoint.url == "https://hooks.example.org/owner"


def test_an_editor_cannot_delete_or_add_subscriptions(editor_client, someone_elses_endpoint):
    subscription = Subscription.objects.create(user=someone_elses_endpoint.user)
    delete = reverse("admin:notices_subscription_delete", args=[subscription.pk])
    assert editor_client.post(delete, {"post": "yes"}).status_code == 403
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert editor_client.get(reverse("admin:notices_subscription_add")).status_code == 403


def test_an_editor_cannot_regenerate_someone_elses_calendar_secret(
    editor_client, someone_elses_endpoint
):
    feed = CalendarFeed.objects.create(user=someone_elses_endpoint.user)
    token = feed.token
    editor_client.post(
        reverse("admin:digests_calendarfeed_changelist"),
        {"action": "regenerate", "_selected_action": [feed.pk]},
    )
    feed.refresh_from_db()
    assert feed.token == token


def test_a_superuser_still_changes_them(admin_client, someone_elses_endpoint, settings):
    settings.WEBHOOK_ALLOW_HTTP = settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = (
        True  # no name lookups here
    )
    url = reverse("admin:notices_webhookendpoint_change", args=[someone_elses_endpoint.pk])
    answer = admin_client.post(
        url,
        {
            "url": "http://127.0.0.1:8999/moved",
            "user": someone_elses_endpoint.user_id,
            "description": "",
            "is_active": "on",
        },
    )
    assert answer.status_code == 302, answer.context["adminform"].form.errors
    someone_elses_endpoint.refresh_from_db()
    assert someone_elses_endpoint.url == "http://127.0.0.1:8999/moved"
