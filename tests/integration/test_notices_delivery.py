"""Status-change notices end to end: a real worker, Redis, PostgreSQL, SMTP and HTTP."""

import datetime
import time

import pytest
from django.db import transaction
from standardwebhooks.webhooks import Webhook

from notices.choices import Channel, DeliveryState
from notices.models import Delivery
from tests.factories import ReviewFactory, SubscriptionFactory, UserFactory, WebhookEndpointFactory
from tests.integration.conftest import broker_down
from tests.receivers import wait_for
from tracker.choices import ReviewStatus
from tracker.services import transition_review

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def review():
    return ReviewFactory(
        status=ReviewStatus.PHASE_1,
        reference="ME/7080/24",
        deal__title="Amazon / Anthropic",
        regulator__short_name="CMA",
    )


def change_status(review, to_status=ReviewStatus.PHASE_2):
    return transition_review(
        review_id=review.pk,
        to_status=to_status,
        occurred_on=datetime.date(2024, 9, 27),
        source_url="https://www.gov.uk/cma-cases/amazon-slash-anthropic-merger-inquiry",
        source_title="CMA case page",
    ).event


def follower(review, path, receiver, **subscription):
    user = UserFactory()
    SubscriptionFactory(user=user, deal=review.deal, **subscription)
    endpoint = (
        WebhookEndpointFactory(user=user, url=receiver.url(path))
        if subscription.get("by_webhook")
        else None
    )
    return user, endpoint


def states(**filters):
    return sorted(Delivery.objects.filter(**filters).values_list("state", flat=True))


def all_delivered(**filters):
    return lambda: set(states(**filters)) == {DeliveryState.DELIVERED}


def test_a_status_change_brings_the_email_and_a_verifiable_webhook(worker, review, receiver, smtp):
    user, endpoint = follower(review, "/hook", receiver, by_email=True, by_webhook=True)

    event = change_status(review)
    committed = time.time()

    assert wait_for(lambda: receiver.to("/hook") and smtp.received(), timeout=30), worker.log()
    [request] = receiver.to("/hook")
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["data"]["event"]["to_status"] == "phase_2"
    assert payload["data"]["regulator"]["short_name"] == "CMA"
    [(received_at, recipients, message)] = smtp.received()
    assert recipients == [user.email]
    assert message["Subject"] == "CMA: Amazon / Anthropic moved to Phase 2"
    assert str(message["List-Unsubscribe"]).strip().startswith("<http://")
    assert "Phase 1 -> Phase 2" in message.get_body(("plain",)).get_content()
    assert wait_for(all_delivered(event=event)), states(event=event)
    print(f"\ncommit to receipt, one notice: email {received_at - committed:.3f} s")


def test_a_receiver_failing_twice_gets_the_notice_on_the_third_attempt(worker, review, receiver):
    receiver.script["/flaky"] = [500, 500, 200]
    user, endpoint = follower(review, "/flaky", receiver, by_email=False, by_webhook=True)

    event = change_status(review)

    assert wait_for(all_delivered(event=event), timeout=30), worker.log()
    requests = receiver.to("/flaky")
    assert len(requests) == 3
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    delivery = Delivery.objects.get(event=event)
    assert list(delivery.attempt_log.values_list("status_code", flat=True)) == [500, 500, 200]
    assert delivery.attempts == 3


def test_a_worker_killed_mid_batch_and_restarted_leaves_every_delivery_delivered(
    worker_factory, review, receiver
):
    receiver.delay = 0.25  # slow receiver, so the kill lands mid-batch
    for _ in range(24):
        follower(review, "/batch", receiver, by_email=False, by_webhook=True)
    worker = worker_factory().start()

    event = change_status(review)
    assert wait_for(lambda: len(receiver.to("/batch")) >= 8, timeout=30), worker.log()
    worker.kill()
    left = Delivery.objects.filter(event=event).exclude(state=DeliveryState.DELIVERED).count()
    assert left > 0, "the batch finished before the kill; nothing was tested"

    worker.start()
    assert wait_for(all_delivered(event=event), timeout=90), (states(event=event), worker.log())
    received_ids = {r.headers["webhook-id"] for r in receiver.to("/batch")}
    expected_ids = {d.webhook_id for d in Delivery.objects.filter(event=event)}
    assert received_ids == expected_ids
    print(
        f"\nkilled with {left} of 24 undelivered; after restart all delivered, "
        f"{len(receiver.to('/batch')) - len(expected_ids)} duplicate request(s) (receivers de-duplicate by webhook-id)"
    )


def test_a_change_committed_while_the_broker_is_down_is_delivered_when_it_returns(
    worker_factory, review, receiver, smtp
):
    follower(review, "/late", receiver, by_email=True, by_webhook=True)

    with broker_down():
        event = change_status(review)  # commits; enqueueing fails and is only logged
    assert states(event=event) == [DeliveryState.PENDING, DeliveryState.PENDING]
    # No worker runs yet: nothing can have been sent.
    assert receiver.to("/late") == [] and smtp.received() == []

    # The broker is back (this process publishes to it again) and a worker with beat
    # starts: the periodic re-enqueue finds the deliveries left pending.
    worker = worker_factory().start()
    assert wait_for(all_delivered(event=event), timeout=30), worker.log()
    assert len(receiver.to("/late")) == 1 and len(smtp.received()) == 1


def test_a_rolled_back_status_change_sends_nothing(worker, review, receiver, smtp):
    follower(review, "/hook", receiver, by_email=True, by_webhook=True)

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            change_status(review)
            raise RuntimeError("the request failed after the status change")

    assert not Delivery.objects.exists()
    # A later, committed change arrives; the rolled-back one never does.
    event = change_status(review, ReviewStatus.CLEARED)
    assert wait_for(all_delivered(event=event), timeout=30), worker.log()
    bodies = [r.body for r in receiver.to("/hook")]
    assert len(bodies) == 1 and b'"to_status":"cleared"' in bodies[0]
    assert [m["Subject"] for _, _, m in smtp.received()] == [
        "CMA: Amazon / Anthropic moved to Cleared"
    ]
    assert Delivery.objects.filter(channel=Channel.EMAIL).count() == 1


def test_a_decision_posted_by_the_api_brings_the_email_and_a_verifiable_webhook(
    worker, review, receiver, smtp
):
    from rest_framework.test import APIClient

    user, endpoint = follower(review, "/decision", receiver, by_email=True, by_webhook=True)
    editor = UserFactory(username="decision-editor", is_staff=True, is_superuser=True)
    api = APIClient()
    api.force_authenticate(editor)

    response = api.post(
        "/api/v1/events/",
        {
            "review": review.pk,
            "kind": "decision",
            "occurred_on": "2024-09-27",
            "title": "CMA: found not to qualify",
            "source_url": "https://www.gov.uk/cma-cases/amazon-slash-anthropic-merger-inquiry",
            "source_type": "regulator",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    event_id = response.json()["id"]

    assert wait_for(lambda: receiver.to("/decision") and smtp.received(), timeout=30), worker.log()
    [request] = receiver.to("/decision")
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert (payload["data"]["event"]["id"], payload["data"]["event"]["kind"]) == (
        event_id,
        "decision",
    )
    [(_, recipients, message)] = smtp.received()
    assert recipients == [user.email]
    assert "found not to qualify" in message.get_body(("plain",)).get_content()
    assert wait_for(all_delivered(event_id=event_id)), states(event_id=event_id)


def test_a_decision_saved_in_the_admin_brings_the_email_and_a_verifiable_webhook(
    worker, review, receiver, smtp
):
    from django.test import Client

    user, endpoint = follower(review, "/admin-decision", receiver, by_email=True, by_webhook=True)
    client = Client()
    client.force_login(UserFactory(username="admin-editor", is_staff=True, is_superuser=True))

    response = client.post(
        "/admin/tracker/event/add/",
        {
            "review": review.pk,
            "kind": "decision",
            "occurred_on": "2024-09-27",
            "date_precision": "day",
            "title": "CMA: relevant merger situation, cleared",
            "source_url": "https://www.gov.uk/cma-cases/amazon-slash-anthropic-merger-inquiry",
            "source_type": "regulator",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = review.events.get(kind="decision")

    assert wait_for(lambda: receiver.to("/admin-decision") and smtp.received(), timeout=30), (
        worker.log()
    )
    [request] = receiver.to("/admin-decision")
    payload = Webhook(endpoint.secret).verify(request.body, request.headers)
    assert payload["data"]["event"]["id"] == event.pk
    [(_, recipients, _)] = smtp.received()
    assert recipients == [user.email]
    assert wait_for(all_delivered(event=event)), states(event=event)
