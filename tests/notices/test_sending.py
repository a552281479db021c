import datetime
import json
import socket

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from notices import sending
from notices.choices import Channel, DeliveryState
from notices.models import Delivery, Subscription
from notices.tasks import FOLLOW_UPS, deliver_batch, notify_endpoint_disabled
from tests.factories import ReviewFactory, SubscriptionFactory, UserFactory, WebhookEndpointFactory
from tests.receivers import WebhookReceiver
from tracker.choices import ReviewStatus
from tracker.services import transition_review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def loopback_allowed(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    settings.NOTICES_RETRY_JITTER = 0


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    yield server
    server.stop()


@pytest.fixture
def review():
    return ReviewFactory(
        status=ReviewStatus.PHASE_1, reference="ME/7080/24", deal__title="Amazon / Anthropic"
    )


def change_status(review, to_status=ReviewStatus.PHASE_2):
    return transition_review(
        review_id=review.pk,
        to_status=to_status,
        occurred_on=datetime.date(2024, 5, 2),
        source_url="https://www.gov.uk/cma-cases/amazon-anthropic",
        source_title="CMA case page",
    ).event


def webhook_delivery(review, receiver, path="/hook"):
    user = UserFactory()
    SubscriptionFactory(user=user, deal=review.deal, by_email=False, by_webhook=True)
    endpoint = WebhookEndpointFactory(user=user, url=receiver.url(path))
    event = change_status(review)
    return Delivery.objects.get(event=event, endpoint=endpoint)


def make_due(delivery):
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())


def test_webhook_is_signed_with_the_standard_webhooks_scheme_and_carries_the_notice(
    review, receiver
):
    delivery = webhook_delivery(review, receiver)

    assert sending.deliver(delivery.pk, FOLLOW_UPS) == DeliveryState.DELIVERED

    [request] = receiver.to("/hook")
    payload = Webhook(delivery.endpoint.secret).verify(request.body, request.headers)
    assert request.headers["webhook-id"] == delivery.webhook_id
    assert payload["delivery_id"] == str(delivery.uuid)
    assert payload["type"] == "event.status_change"
    data = payload["data"]
    assert (data["event"]["from_status"], data["event"]["to_status"]) == ("phase_1", "phase_2")
    assert data["deal"]["title"] == "Amazon / Anthropic"
    assert data["regulator"]["short_name"] == review.regulator.short_name
    assert data["review"]["reference"] == "ME/7080/24"
    assert data["event"]["source_url"] == "https://www.gov.uk/cma-cases/amazon-anthropic"
    delivery.refresh_from_db()
    assert delivery.attempts == 1 and delivery.last_status_code == 200 and delivery.delivered_at
    [attempt] = delivery.attempt_log.all()
    assert attempt.succeeded and attempt.status_code == 200


def test_a_tampered_body_fails_verification(review, receiver):
    delivery = webhook_delivery(review, receiver)
    sending.deliver(delivery.pk, FOLLOW_UPS)
    [request] = receiver.to("/hook")
    with pytest.raises(Exception, match="signature"):
        Webhook(delivery.endpoint.secret).verify(
            request.body.replace(b"phase_2", b"cleared"), request.headers
        )


def test_a_failed_attempt_is_recorded_and_retried_later_until_it_succeeds(review, receiver):
    receiver.script["/flaky"] = [500, 503, 200]
    delivery = webhook_delivery(review, receiver, "/flaky")

    assert sending.deliver(delivery.pk, FOLLOW_UPS) == DeliveryState.PENDING
    delivery.refresh_from_db()
    assert delivery.next_attempt_at > timezone.now()
    assert sending.deliver(delivery.pk, FOLLOW_UPS) is None  # not due yet: nothing sent
    assert len(receiver.to("/flaky")) == 1

    make_due(delivery)
    assert sending.deliver(delivery.pk, FOLLOW_UPS) == DeliveryState.PENDING
    make_due(delivery)
    assert sending.deliver(delivery.pk, FOLLOW_UPS) == DeliveryState.DELIVERED

    log = list(delivery.attempt_log.values_list("number", "status_code", "error"))
    assert log == [(1, 500, "HTTP 500"), (2, 503, "HTTP 503"), (3, 200, "")]
    assert (
        len({r.headers["webhook-id"] for r in receiver.to("/flaky")}) == 1
    )  # same id: receivers de-duplicate


def test_redirects_are_not_followed(review, receiver):
    receiver.script["/moved"] = [302]
    receiver.redirect_to = receiver.url("/elsewhere")
    delivery = webhook_delivery(review, receiver, "/moved")

    sending.deliver(delivery.pk, FOLLOW_UPS)

    delivery.refresh_from_db()
    assert delivery.last_status_code == 302 and "redirects are not followed" in delivery.last_error
    assert receiver.to("/elsewhere") == []


def test_the_address_is_checked_again_at_send_time(review, receiver, settings, monkeypatch):
    user = UserFactory()
    SubscriptionFactory(user=user, deal=review.deal, by_email=False, by_webhook=True)
    WebhookEndpointFactory(user=user, url=f"http://hooks.example.org:{receiver.port}/hook")
    delivery = Delivery.objects.get(event=change_status(review))
    # Since the endpoint was saved, its name has come to resolve to an internal address.
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))
        ],
    )

    assert sending.deliver(delivery.pk, FOLLOW_UPS) == DeliveryState.PENDING

    delivery.refresh_from_db()
    assert "127.0.0.1" in delivery.last_error and "public addresses" in delivery.last_error
    assert receiver.requests == []


def test_an_endpoint_failing_every_attempt_is_disabled_and_its_owner_told_once(
    review, receiver, settings
):
    settings.NOTICES_MAX_ATTEMPTS = 3
    receiver.script["/down"] = [500]
    delivery = webhook_delivery(review, receiver, "/down")
    later = Delivery.objects.create(
        user=delivery.user,
        event=delivery.event,
        channel=Channel.WEBHOOK,
        endpoint=delivery.endpoint,
        kind="ping",
        next_attempt_at=timezone.now() + datetime.timedelta(hours=1),
    )

    for _ in range(3):
        make_due(delivery)
        sending.deliver(delivery.pk, FOLLOW_UPS)

    delivery.refresh_from_db()
    endpoint = delivery.endpoint
    endpoint.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED and delivery.attempts == 3
    assert not endpoint.is_active and endpoint.disabled_at and endpoint.consecutive_failures == 3
    later.refresh_from_db()
    assert later.state == DeliveryState.CANCELLED
    mail.outbox.clear()
    assert notify_endpoint_disabled(endpoint.pk) is True
    assert notify_endpoint_disabled(endpoint.pk) is False
    [message] = mail.outbox
    assert message.to == [endpoint.user.email] and endpoint.url in message.body


def test_retry_waits_grow_exponentially_and_eight_attempts_span_about_a_day(settings):
    settings.NOTICES_RETRY_BASE_SECONDS = 30
    settings.NOTICES_RETRY_FACTOR = 3.5
    waits = [sending.retry_delay(n) for n in range(1, settings.NOTICES_MAX_ATTEMPTS)]
    assert waits == sorted(waits) and waits[0] == 30
    assert 12 * 3600 < sum(waits) < 30 * 3600


def test_jitter_spreads_retries(settings):
    settings.NOTICES_RETRY_JITTER = 0.2
    waits = {sending.retry_delay(3) for _ in range(20)}
    assert len(waits) > 1 and all(0.8 * 367.5 <= w <= 1.2 * 367.5 for w in waits)


def test_a_claimed_delivery_is_not_taken_twice_until_its_lease_runs_out(review, receiver):
    delivery = webhook_delivery(review, receiver)
    assert sending.claim(delivery.pk) is not None
    assert sending.claim(delivery.pk) is None
    assert sending.due_delivery_ids(100) == []
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert sending.due_delivery_ids(100) == [delivery.pk]  # its worker died: re-enqueue it
    assert sending.deliver(delivery.pk, FOLLOW_UPS) == DeliveryState.DELIVERED
    assert sending.deliver(delivery.pk, FOLLOW_UPS) is None  # a duplicate task finds nothing to do


def test_requeue_picks_up_pending_deliveries_only_after_the_grace_period(
    review, receiver, settings
):
    settings.NOTICES_REQUEUE_GRACE_SECONDS = 60
    delivery = webhook_delivery(review, receiver)
    assert sending.due_delivery_ids(100) == []
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=2)
    )
    assert sending.due_delivery_ids(100) == [delivery.pk]


def test_notice_email_has_both_parts_the_facts_and_a_one_click_unsubscribe(review, client):
    subscription = SubscriptionFactory(deal=review.deal)
    delivery = Delivery.objects.get(event=change_status(review))
    mail.outbox.clear()

    assert sending.deliver(delivery.pk, FOLLOW_UPS) == DeliveryState.DELIVERED

    [message] = mail.outbox
    assert message.to == [subscription.user.email]
    assert message.subject == f"{review.regulator.short_name}: Amazon / Anthropic moved to Phase 2"
    assert "Phase 1 -> Phase 2" in message.body and "ME/7080/24" in message.body
    assert "https://www.gov.uk/cma-cases/amazon-anthropic" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and "Phase 1 &rarr; <strong>Phase 2</strong>" in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(delivery.uuid) in message.extra_headers["Message-ID"]
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link in message.body and link in html
    path = link.split("://", 1)[1].split("/", 1)[1]

    assert client.get(f"/{path}").status_code == 200  # a link scanner's GET changes nothing
    assert Subscription.objects.filter(pk=subscription.pk).exists()
    assert client.post(f"/{path}", {"List-Unsubscribe": "One-Click"}).status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()
    assert client.post(f"/{path}").status_code == 200  # a second click is harmless


def test_unsubscribe_keeps_the_webhook_channel_and_refuses_forged_tokens(review, client):
    subscription = SubscriptionFactory(deal=review.deal, by_webhook=True)
    from notices.unsubscribe import make_token

    token = make_token(subscription)
    assert client.post(reverse("notices:unsubscribe", args=[token[:-3] + "abc"])).status_code == 400
    assert client.post(reverse("notices:unsubscribe", args=[token])).status_code == 200
    subscription.refresh_from_db()
    assert (subscription.by_email, subscription.by_webhook) == (False, True)


def test_the_webhook_body_is_json_with_no_secret(review, receiver):
    delivery = webhook_delivery(review, receiver)
    sending.deliver(delivery.pk, FOLLOW_UPS)
    [request] = receiver.to("/hook")
    assert delivery.endpoint.secret not in request.body.decode()
    assert json.loads(request.body)["data"]["review"]["status"] == "phase_2"


def test_a_worker_whose_lease_ran_out_logs_its_attempt_but_leaves_the_state_to_the_new_owner(
    review, receiver
):
    delivery = webhook_delivery(review, receiver)
    stale = sending.claim(delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    fresh = sending.claim(delivery.pk)
    assert (stale.attempts, fresh.attempts) == (1, 2)

    sending.record(
        stale,
        sending.Outcome(ok=False, status_code=500, error="HTTP 500"),
        timezone.now(),
        10,
        FOLLOW_UPS,
    )

    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENDING and delivery.attempts == 2
    assert list(delivery.attempt_log.values_list("number", "status_code")) == [(1, 500)]


def test_a_batch_delivers_each_notice_and_shares_one_smtp_connection(review, receiver, monkeypatch):
    opened = []
    real_get_connection = sending.get_connection

    def counting_get_connection(*args, **kwargs):
        opened.append(1)
        return real_get_connection(*args, **kwargs)

    monkeypatch.setattr(sending, "get_connection", counting_get_connection)
    for _ in range(3):
        SubscriptionFactory(user=UserFactory(), deal=review.deal, by_email=True, by_webhook=False)
    hook = webhook_delivery(review, receiver)
    ids = list(Delivery.objects.filter(event=hook.event).values_list("pk", flat=True))
    assert len(ids) == 4

    counts = sending.deliver_many(ids, FOLLOW_UPS)

    assert counts == {DeliveryState.DELIVERED: 4}
    assert len(mail.outbox) == 3
    assert len(receiver.to("/hook")) == 1
    assert len(opened) == 1
    # A second pass finds nothing to claim: already delivered.
    assert sending.deliver_many(ids, FOLLOW_UPS) == {"not claimed": 4}


def webhook_followers(review, receiver, count, path="/hook"):
    for _ in range(count):
        user = UserFactory()
        SubscriptionFactory(user=user, deal=review.deal, by_email=False, by_webhook=True)
        WebhookEndpointFactory(user=user, url=receiver.url(path))


def test_a_batch_sends_its_webhooks_to_one_receiver_over_one_connection():
    receiver = WebhookReceiver(keep_alive=True)
    try:
        review = ReviewFactory(status=ReviewStatus.PHASE_1)
        webhook_followers(review, receiver, 5)
        event = change_status(review)
        ids = list(Delivery.objects.filter(event=event).values_list("pk", flat=True))

        assert sending.deliver_many(ids, FOLLOW_UPS) == {DeliveryState.DELIVERED: 5}

        requests = receiver.to("/hook")
        assert len(requests) == 5
        assert len({r.client_port for r in requests}) == 1
        assert len({r.headers["webhook-id"] for r in requests}) == 5
        assert all(d.attempt_log.get().succeeded for d in Delivery.objects.filter(event=event))
    finally:
        receiver.stop()


def test_a_batch_longer_than_half_its_lease_renews_it_and_sends_each_notice_once(
    review, receiver, settings, monkeypatch
):
    settings.NOTICES_CLAIM_LEASE_SECONDS = 0.4
    receiver.delay = 0.15
    webhook_followers(review, receiver, 6)
    event = change_status(review)
    ids = list(Delivery.objects.filter(event=event).values_list("pk", flat=True))
    renewals = []  # (deliveries left to send, deliveries already marked delivered)
    real_renew_lease = sending.renew_lease

    def watched_renew_lease(deliveries):
        delivered = Delivery.objects.filter(event=event, state=DeliveryState.DELIVERED).count()
        renewals.append((len(deliveries), delivered))
        return real_renew_lease(deliveries)

    monkeypatch.setattr(sending, "renew_lease", watched_renew_lease)

    assert sending.deliver_many(ids, FOLLOW_UPS) == {DeliveryState.DELIVERED: 6}

    # 0.9 s of sending under a 0.4 s lease: the lease of what was left was renewed, and
    # what had gone out by then was marked, so a killed worker would resend little.
    assert len(renewals) >= 2
    assert all(left + delivered == 6 and delivered > 0 for left, delivered in renewals)
    assert len(receiver.to("/hook")) == 6
    assert set(
        Delivery.objects.filter(event=event).values_list("state", "attempts", "claimed_until")
    ) == {(DeliveryState.DELIVERED, 1, None)}


def test_renewal_drops_deliveries_another_worker_took_over(review, receiver):
    webhook_followers(review, receiver, 3)
    event = change_status(review)
    ids = list(Delivery.objects.filter(event=event).order_by("pk").values_list("pk", flat=True))
    mine = sending.claim_many(ids)
    assert [d.pk for d in mine] == ids
    # The lease of the last one ran out and another worker claimed it.
    Delivery.objects.filter(pk=ids[2]).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert sending.claim(ids[2]).attempts == 2

    kept = sending.renew_lease(mine)

    assert [d.pk for d in kept] == ids[:2]
    # Marking a success only touches rows still ours.
    sent = [
        sending.Sent(d, sending.Outcome(ok=True, status_code=200), timezone.now(), 5) for d in mine
    ]
    assert sending.record_delivered(sent) == {DeliveryState.DELIVERED: 2, sending.TAKEN_OVER: 1}
    assert dict(Delivery.objects.filter(event=event).values_list("pk", "state")) == {
        ids[0]: DeliveryState.DELIVERED,
        ids[1]: DeliveryState.DELIVERED,
        ids[2]: DeliveryState.SENDING,
    }


def test_a_success_recorded_after_a_takeover_reports_the_new_owners_state(review, receiver):
    webhook_followers(review, receiver, 1)
    delivery_id = Delivery.objects.get(event=change_status(review)).pk
    mine = sending.claim(delivery_id)
    Delivery.objects.filter(pk=delivery_id).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert sending.claim(delivery_id).attempts == 2  # another worker's claim

    state = sending.record(
        mine, sending.Outcome(ok=True, status_code=200), timezone.now(), 5, FOLLOW_UPS
    )

    assert state == DeliveryState.SENDING
    assert Delivery.objects.get(pk=delivery_id).state == DeliveryState.SENDING


class RecordedFollowUps:
    """What sending asks to be done after an attempt, kept for the test to look at."""

    def __init__(self):
        self.retries: list[int] = []
        self.disabled: list[int] = []

    def retry(self, delivery_id: int, countdown: float) -> None:
        self.retries.append(delivery_id)

    def endpoint_disabled(self, endpoint_id: int) -> None:
        self.disabled.append(endpoint_id)


def test_one_failing_receiver_in_a_batch_is_retried_alone_and_the_others_are_delivered_once(
    review, receiver, django_capture_on_commit_callbacks
):
    receiver.script["/down"] = [503, 200]
    webhook_followers(review, receiver, 3)
    failing = UserFactory()
    SubscriptionFactory(user=failing, deal=review.deal, by_email=False, by_webhook=True)
    WebhookEndpointFactory(user=failing, url=receiver.url("/down"))
    for _ in range(2):
        SubscriptionFactory(user=UserFactory(), deal=review.deal, by_email=True, by_webhook=False)
    event = change_status(review)
    ids = list(Delivery.objects.filter(event=event).values_list("pk", flat=True))
    down = Delivery.objects.get(event=event, user=failing).pk
    followups = RecordedFollowUps()

    with django_capture_on_commit_callbacks(execute=True):
        assert sending.deliver_many(ids, followups) == {
            DeliveryState.DELIVERED: 5,
            DeliveryState.PENDING: 1,
        }

    assert followups.retries == [down]
    make_due(Delivery.objects.get(pk=down))
    # The retry is the failed delivery's alone; the batch run again would claim only it.
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.deliver_many(ids, followups) == {
            "not claimed": 5,
            DeliveryState.DELIVERED: 1,
        }
    assert followups.retries == [down]
    assert len(receiver.to("/hook")) == 3 and len(receiver.to("/down")) == 2
    assert len(mail.outbox) == 2
    attempts = dict(Delivery.objects.filter(event=event).values_list("pk", "attempts"))
    assert attempts == {pk: 2 if pk == down else 1 for pk in ids}
    assert set(Delivery.objects.filter(event=event).values_list("state", flat=True)) == {
        DeliveryState.DELIVERED
    }


def test_a_batch_task_run_again_after_its_worker_died_sends_only_what_was_not_delivered(
    review, receiver
):
    webhook_followers(review, receiver, 4)
    event = change_status(review)
    ids = list(Delivery.objects.filter(event=event).order_by("pk").values_list("pk", flat=True))
    # The first run delivered two, then its worker died holding the claim on the others.
    assert sending.deliver_many(ids[:2], FOLLOW_UPS) == {DeliveryState.DELIVERED: 2}
    assert len(sending.claim_many(ids[2:])) == 2
    assert sending.deliver_many(ids, FOLLOW_UPS) == {"not claimed": 4}  # their lease still runs
    Delivery.objects.filter(pk__in=ids[2:]).update(
        claimed_until=timezone.now() - datetime.timedelta(seconds=1)
    )

    assert deliver_batch(ids) == {"not claimed": 2, DeliveryState.DELIVERED: 2}

    sent_ids = [r.headers["webhook-id"] for r in receiver.to("/hook")]
    assert sorted(sent_ids) == sorted(d.webhook_id for d in Delivery.objects.filter(event=event))
    assert dict(Delivery.objects.filter(event=event).values_list("pk", "attempts")) == {
        ids[0]: 1,
        ids[1]: 1,
        ids[2]: 2,
        ids[3]: 2,
    }
    assert deliver_batch(ids) == {"not claimed": 4}
    assert len(receiver.to("/hook")) == 4


def test_notice_says_how_a_closed_proceeding_ended_and_its_role_on_the_deal(review):
    """A study that covers the deal followed closes: the email says "Closed: study
    concluded", not "Closed (no decision)", and that the study covers the deal."""
    from tracker.choices import DealRole, Outcome, ReviewType
    from tracker.models import ReviewDeal

    study = ReviewFactory(
        status=ReviewStatus.MONITORING,
        review_type=ReviewType.MARKET_STUDY,
        deal=review.deal,
        title="AI partnerships 6(b) study",
    )
    ReviewDeal.objects.filter(review=study).update(role=DealRole.COVERS)
    SubscriptionFactory(deal=review.deal)
    event = transition_review(
        review_id=study.pk,
        to_status=ReviewStatus.CLOSED,
        outcome=Outcome.STUDY_CONCLUDED,
        occurred_on=datetime.date(2025, 1, 17),
        source_url="https://www.ftc.gov/reports/staff-report",
        source_title="FTC staff report",
    ).event
    delivery = Delivery.objects.get(event=event)
    mail.outbox.clear()
    assert sending.deliver(delivery.pk, FOLLOW_UPS) == DeliveryState.DELIVERED
    [message] = mail.outbox
    assert "moved to Closed: study concluded" in message.subject
    assert "Monitoring -> Closed: study concluded" in message.body
    assert "a proceeding that covers a deal you follow" in message.body
    assert "no decision" not in message.body
