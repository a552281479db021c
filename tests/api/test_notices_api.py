import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from notices.models import Delivery, Subscription, WebhookEndpoint
from tests.factories import ReviewFactory, SubscriptionFactory, UserFactory, WebhookEndpointFactory
from tests.receivers import WebhookReceiver
from tracker.choices import ReviewStatus
from tracker.services import transition_review

SOURCE = "https://example.org/case-page"

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    return UserFactory(username="alice")


@pytest.fixture
def bob():
    return UserFactory(username="bob")


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(alice):
    return client_for(alice)


@pytest.fixture
def review():
    return ReviewFactory(status=ReviewStatus.PHASE_1)


@pytest.fixture
def loopback(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


@pytest.mark.parametrize("path", ["subscriptions", "webhooks", "deliveries"])
def test_anonymous_users_have_no_notices(path):
    assert APIClient().get(f"/api/v1/{path}/").status_code in (401, 403)


def test_subscribing_to_a_deal_by_slug_with_both_channels(api, alice, review):
    response = api.post(
        "/api/v1/subscriptions/",
        {
            "deal": review.deal.slug,
            "channels": ["email", "webhook"],
            "event_kinds": ["status_change"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["deal"] == review.deal.slug and sorted(body["channels"]) == ["email", "webhook"]
    assert body["frequency"] == "immediate" and body["event_kinds"] == ["status_change"]
    subscription = Subscription.objects.get(pk=body["id"])
    assert subscription.user == alice and subscription.by_email and subscription.by_webhook


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"deal": "no-such-deal"}, "deal"),
        ({"channels": []}, "channels"),
        ({"channels": ["pigeon"]}, "channels"),
        ({"frequency": "hourly"}, "frequency"),
        ({"event_kinds": ["rumour"]}, "event_kinds"),
        ({"event_kinds": "status_change"}, "event_kinds"),
    ],
)
def test_bad_subscription_input_is_a_400_naming_the_field(api, payload, field):
    response = api.post("/api/v1/subscriptions/", payload, format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not Subscription.objects.exists()


def test_following_two_targets_at_once_or_the_same_target_twice_is_refused(api, review):
    both = api.post(
        "/api/v1/subscriptions/",
        {"deal": review.deal.slug, "regulator": review.regulator.slug},
        format="json",
    )
    assert both.status_code == 400 and "regulator" in str(both.json())
    assert (
        api.post("/api/v1/subscriptions/", {"deal": review.deal.slug}, format="json").status_code
        == 201
    )
    again = api.post("/api/v1/subscriptions/", {"deal": review.deal.slug}, format="json")
    assert again.status_code == 400 and "already follow" in str(again.json())
    assert api.post("/api/v1/subscriptions/", {}, format="json").status_code == 201  # everything
    assert api.post("/api/v1/subscriptions/", {}, format="json").status_code == 400


def test_each_user_sees_and_changes_only_their_own_rows(api, bob, review):
    theirs_sub = SubscriptionFactory(user=bob, deal=review.deal)
    theirs_hook = WebhookEndpointFactory(user=bob)
    event = transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=datetime.date(2024, 5, 2),
        source_url=SOURCE,
    ).event
    theirs_delivery = Delivery.objects.get(event=event)
    mine = SubscriptionFactory(user=UserFactory(username="alice"), regulator=review.regulator)

    assert [s["id"] for s in api.get("/api/v1/subscriptions/").json()["results"]] == [mine.pk]
    assert api.get("/api/v1/webhooks/").json()["results"] == []
    assert api.get("/api/v1/deliveries/").json()["results"] == []
    for url in (
        f"/api/v1/subscriptions/{theirs_sub.pk}/",
        f"/api/v1/webhooks/{theirs_hook.pk}/",
        f"/api/v1/deliveries/{theirs_delivery.uuid}/",
    ):
        assert api.get(url).status_code == 404
    assert (
        api.patch(
            f"/api/v1/subscriptions/{theirs_sub.pk}/", {"frequency": "daily"}, format="json"
        ).status_code
        == 404
    )
    assert api.delete(f"/api/v1/webhooks/{theirs_hook.pk}/").status_code == 404
    assert api.post(f"/api/v1/webhooks/{theirs_hook.pk}/ping/").status_code == 404
    assert Subscription.objects.get(pk=theirs_sub.pk).frequency == "immediate"
    assert WebhookEndpoint.objects.filter(pk=theirs_hook.pk).exists()
    assert client_for(bob).get(f"/api/v1/deliveries/{theirs_delivery.uuid}/").status_code == 200


def test_the_webhook_secret_is_shown_on_creation_and_never_again(api, loopback):
    created = api.post("/api/v1/webhooks/", {"url": "http://127.0.0.1:9/hook"}, format="json")
    assert created.status_code == 201, created.json()
    secret = created.json()["secret"]
    assert secret.startswith("whsec_") and secret == WebhookEndpoint.objects.get().secret
    endpoint_id = created.json()["id"]

    responses = [
        api.get("/api/v1/webhooks/"),
        api.get(f"/api/v1/webhooks/{endpoint_id}/"),
        api.patch(f"/api/v1/webhooks/{endpoint_id}/", {"description": "ops"}, format="json"),
        api.put(
            f"/api/v1/webhooks/{endpoint_id}/", {"url": "http://127.0.0.1:9/other"}, format="json"
        ),
        api.post(f"/api/v1/webhooks/{endpoint_id}/ping/"),
        api.get("/api/v1/deliveries/"),
    ]
    for response in responses:
        assert response.status_code < 300, response.content
        assert secret not in response.content.decode()
        assert "secret" not in response.json() if isinstance(response.json(), dict) else True
    # A secret sent by the client is ignored, never stored.
    api.patch(f"/api/v1/webhooks/{endpoint_id}/", {"secret": "whsec_bWluZQ=="}, format="json")
    assert WebhookEndpoint.objects.get().secret == secret


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://hooks.example.org/in", "https"),
        ("https://127.0.0.1/in", "public addresses"),
        ("https://[::1]/in", "public addresses"),
        ("https://169.254.169.254/latest", "public addresses"),
        ("https://8.8.8.8:22/", "may only use port 443"),
        ("not a url", "valid URL"),
    ],
)
def test_unsafe_webhook_urls_are_refused_with_a_400_on_url(api, settings, url, message):
    settings.WEBHOOK_ALLOW_HTTP = False
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    response = api.post("/api/v1/webhooks/", {"url": url}, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"]["url"])
    assert not WebhookEndpoint.objects.exists()


def test_ping_sends_a_signed_test_delivery_shown_in_the_log(
    api, alice, loopback, django_capture_on_commit_callbacks
):
    receiver = WebhookReceiver()
    try:
        created = api.post(
            "/api/v1/webhooks/", {"url": receiver.url("/ping")}, format="json"
        ).json()
        with django_capture_on_commit_callbacks(execute=True):  # tasks run eagerly after commit
            response = api.post(f"/api/v1/webhooks/{created['id']}/ping/")
    finally:
        receiver.stop()
    assert response.status_code == 202
    delivery = response.json()
    assert delivery["kind"] == "ping" and delivery["state"] == "pending"
    [request] = receiver.to("/ping")
    assert request.headers["webhook-id"] == f"msg_{delivery['id'].replace('-', '')}"
    log = api.get("/api/v1/deliveries/", {"kind": "ping"}).json()["results"]
    assert [(d["id"], d["state"]) for d in log] == [(delivery["id"], "delivered")]
    assert log[0]["attempt_log"][0]["status_code"] == 200


def test_turning_a_disabled_endpoint_back_on_clears_its_failures(api, alice):
    endpoint = WebhookEndpointFactory(
        user=alice, is_active=False, consecutive_failures=8, disabled_reason="down"
    )
    response = api.patch(f"/api/v1/webhooks/{endpoint.pk}/", {"is_active": True}, format="json")
    assert response.status_code == 200
    endpoint.refresh_from_db()
    assert (
        endpoint.is_active and endpoint.consecutive_failures == 0 and endpoint.disabled_reason == ""
    )


def test_the_delivery_log_filters_by_state_and_rejects_bad_values(api, alice, review):
    SubscriptionFactory(user=alice, deal=review.deal)
    transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=datetime.date(2024, 5, 2),
        source_url=SOURCE,
    )
    assert len(api.get("/api/v1/deliveries/", {"state": "pending"}).json()["results"]) == 1
    assert api.get("/api/v1/deliveries/", {"state": "delivered"}).json()["results"] == []
    bad = api.get("/api/v1/deliveries/", {"state": "lost"})
    assert bad.status_code == 400 and "state" in bad.json()["errors"]


@pytest.mark.parametrize("path", ["subscriptions", "webhooks", "deliveries"])
def test_list_query_count_does_not_grow_with_rows(api, alice, path, django_assert_max_num_queries):
    def add_rows(n):
        for _ in range(n):
            review = ReviewFactory(status=ReviewStatus.PHASE_1)
            SubscriptionFactory(user=alice, review=review, by_webhook=True)
            WebhookEndpointFactory(user=alice)
            transition_review(
                review_id=review.pk,
                to_status=ReviewStatus.PHASE_2,
                occurred_on=datetime.date(2024, 5, 2),
                source_url=SOURCE,
            )

    add_rows(1)
    with CaptureQueriesContext(connection) as one:
        assert api.get(f"/api/v1/{path}/").status_code == 200
    add_rows(6)
    with django_assert_max_num_queries(len(one)):
        assert len(api.get(f"/api/v1/{path}/").json()["results"]) > 6
