"""Every event recorded as news reaches the subscribers who follow its kind, through the same
outbox as a status change, after commit; back-filled history never does. A status change that
decides a proceeding is found and followed as a decision."""

import datetime
import json

import pytest
from django.core import mail

from notices.choices import Channel, DeliveryState
from notices.models import Delivery
from tests.factories import SubscriptionFactory, UserFactory, WebhookEndpointFactory
from tests.receivers import WebhookReceiver
from tracker.choices import EventKind
from tracker.models import Event, Review

pytestmark = pytest.mark.django_db
CMA_PAGE = "https://www.gov.uk/cma-cases/amazon-slash-anthropic-merger-inquiry"


@pytest.fixture
def loopback(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


@pytest.fixture
def receiver():
    receiver = WebhookReceiver()
    yield receiver
    receiver.stop()


@pytest.fixture
def cma_review(demo):
    return Review.objects.get(deal__slug="amazon-anthropic", regulator__slug="cma")


@pytest.fixture
def follower(cma_review, loopback, receiver):
    """A user following Amazon / Anthropic with the default kinds, by email and signed webhook."""
    user = UserFactory(username="follower", email="follower@example.org")
    SubscriptionFactory(user=user, deal=cma_review.deal, by_email=True, by_webhook=True)
    WebhookEndpointFactory(user=user, url=receiver.url("/hook"))
    return user


def decision(cma_review, **extra):
    return {
        "review": cma_review.pk,
        "kind": "decision",
        "occurred_on": "2024-09-27",
        "title": "Decision on relevant merger situation",
        "source_url": CMA_PAGE,
        "source_type": "regulator",
        **extra,
    }


def test_a_decision_posted_by_the_api_reaches_email_and_webhook_followers_after_commit(
    editor_api, cma_review, follower, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = editor_api.post("/api/v1/events/", decision(cma_review), format="json")
    assert response.status_code == 201, response.json()
    event = Event.objects.get(pk=response.json()["id"])
    assert event.recorded_as_history is False
    deliveries = Delivery.objects.filter(event=event).order_by("channel")
    assert [(d.channel, d.user_id, d.state) for d in deliveries] == [
        (Channel.EMAIL, follower.pk, DeliveryState.PENDING),
        (Channel.WEBHOOK, follower.pk, DeliveryState.PENDING),
    ]
    assert len(callbacks) == 1  # handed to workers only once the request's transaction commits
    assert mail.outbox == [] and receiver.to("/hook") == []

    callbacks[0]()  # the commit: tasks run eagerly here
    assert {d.state for d in Delivery.objects.filter(event=event)} == {DeliveryState.DELIVERED}
    [message] = mail.outbox
    assert message.to == ["follower@example.org"]
    assert "Decision on relevant merger situation" in message.subject + message.body
    [request] = receiver.to("/hook")
    assert request.headers["webhook-signature"].startswith("v1,")
    body = json.loads(request.body)
    assert body["data"]["event"]["id"] == event.pk
    assert body["data"]["event"]["kind"] == "decision"


def test_history_posted_by_the_api_is_recorded_and_announced_to_nobody(
    editor_api, cma_review, follower, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = editor_api.post(
            "/api/v1/events/", decision(cma_review, history=True), format="json"
        )
    assert response.status_code == 201, response.json()
    event = Event.objects.get(pk=response.json()["id"])
    assert event.recorded_as_history is True
    assert "history" not in response.json()  # a flag of the write, not a field of the event
    assert not Delivery.objects.exists() and callbacks == [] and mail.outbox == []


def test_an_edit_of_a_recorded_decision_is_no_news(editor_api, cma_review, follower):
    event = Event.objects.create(
        review=cma_review,
        kind=EventKind.DECISION,
        occurred_on=datetime.date(2024, 9, 27),
        title="Decision",
        source_url=CMA_PAGE,
        source_type="regulator",
    )
    response = editor_api.patch(
        f"/api/v1/events/{event.pk}/", {"title": "Decision (corrected)"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert not Delivery.objects.exists()


def test_a_subscription_to_filings_only_is_not_told_of_a_decision(
    editor_api, cma_review, django_capture_on_commit_callbacks
):
    only_filings = UserFactory(email="filings@example.org")
    SubscriptionFactory(user=only_filings, deal=cma_review.deal, event_kinds=["filing"])
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.post("/api/v1/events/", decision(cma_review), format="json")
    assert response.status_code == 201, response.json()
    assert not Delivery.objects.exists()


def admin_add(admin_client, cma_review, **extra):
    data = {
        "review": cma_review.pk,
        "kind": "decision",
        "occurred_on": "2024-09-27",
        "date_precision": "day",
        "title": "Decision on relevant merger situation",
        "body": "",
        "source_url": CMA_PAGE,
        "source_title": "",
        "source_type": "regulator",
        "currency": "",
        **extra,
    }
    return admin_client.post("/admin/tracker/event/add/", data)


def test_a_decision_saved_in_the_admin_reaches_its_followers_after_commit(
    admin_client, cma_review, follower, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_add(admin_client, cma_review)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title="Decision on relevant merger situation")
    assert event.created_by.is_superuser and event.recorded_as_history is False
    assert len(callbacks) == 1
    deliveries = Delivery.objects.filter(event=event)
    assert sorted((d.channel, d.state) for d in deliveries) == [
        (Channel.EMAIL, DeliveryState.DELIVERED),
        (Channel.WEBHOOK, DeliveryState.DELIVERED),
    ]
    assert [m.to for m in mail.outbox] == [["follower@example.org"]]
    assert len(receiver.to("/hook")) == 1


def test_back_filled_history_saved_in_the_admin_notifies_nobody(
    admin_client, cma_review, follower, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_add(admin_client, cma_review, history="on")
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(title="Decision on relevant merger situation")
    assert event.recorded_as_history is True
    assert not Delivery.objects.exists() and callbacks == []
    # Its change form no longer offers the flag: an edit is never news.
    page = admin_client.get(f"/admin/tracker/event/{event.pk}/change/").content.decode()
    assert 'name="history"' not in page


def test_the_decision_filter_finds_the_status_changes_that_decide_a_proceeding(api, demo):
    found = api.get("/api/v1/events/", {"kind": "decision", "page_size": 200}).json()["results"]
    by_title = {(e["occurred_on"], e["title"]): e for e in found}
    # The CMA's prohibition of Microsoft / Activision (final report of 26 April 2023).
    assert by_title[("2023-04-26", "Final report: merger prohibited")]["kind"] == "status_change"
    # The Commission's clearances: Microsoft / Activision with commitments, NVIDIA / Run:ai.
    assert ("2023-05-15", "Cleared subject to commitments") in by_title
    assert ("2024-12-20", "Cleared unconditionally") in by_title
    # The CMA's findings that the AI partnerships did not qualify.
    not_qualifying = [e for e in found if e["title"] == "Found not to qualify"]
    assert len(not_qualifying) == 4
    # The decisions recorded as events are still found beside them, and nothing else.
    assert ("2024-09-06", "Commission withdraws its Illumina/GRAIL decisions") in by_title
    # The gun-jumping fine closes its own proceeding: a decision by its status change.
    assert ("2023-07-12", "Gun-jumping fine: EUR 432m on Illumina, EUR 1,000 on GRAIL") in by_title
    assert {e["kind"] for e in found} == {"decision", "status_change"}
    assert all(e["to_status"] != "abandoned" for e in found)
    assert not [
        e
        for e in found
        if e["kind"] == "status_change"
        and e["to_status"]
        in ("phase_1", "phase_2", "litigation", "appeal", "remedies", "monitoring")
    ]
    # Kinds combine as before.
    filings = api.get("/api/v1/events/", {"kind": "filing", "page_size": 200}).json()["results"]
    assert {e["kind"] for e in filings} == {"filing"}
