"""Followers of one event share one rendering of its notice email; each still gets their
own address, message and delivery ids and unsubscribe link, over one SMTP connection."""

import datetime
import json
import smtplib
from email import message_from_bytes, policy

import pytest
from django.core.mail import get_connection
from django.utils import timezone

from notices import sending
from notices.choices import Channel, DeliveryState
from notices.emails import LINK, NoticeEmails, message_id
from notices.models import Delivery
from notices.tasks import FOLLOW_UPS
from notices.unsubscribe import read_token
from notices.webhooks import WebhookBodies, webhook_body
from tests.factories import ReviewFactory, SubscriptionFactory, UserFactory
from tests.receivers import SMTPSink
from tracker.choices import ReviewStatus
from tracker.services import transition_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliveries():
    review = ReviewFactory(
        status=ReviewStatus.PHASE_1, reference="ME/7080/24", deal__title="Amazon / Anthropic"
    )
    for email in (
        "ada@example.org",
        "a." + "very-long-name." * 3 + "reader@mail.example.org",
        "zoë@example.org",
    ):
        SubscriptionFactory(
            user=UserFactory(email=email), deal=review.deal, by_email=True, by_webhook=False
        )
    event = transition_review(
        review_id=review.pk,
        to_status=ReviewStatus.PHASE_2,
        occurred_on=datetime.date(2024, 5, 2),
        source_url="https://www.gov.uk/cma-cases/amazon-anthropic",
    ).event
    return list(Delivery.objects.filter(event=event, channel=Channel.EMAIL).order_by("pk"))


def test_followers_get_the_same_notice_but_their_own_ids_and_unsubscribe_link(deliveries):
    emails = NoticeEmails()
    first, long_address, non_ascii = (emails.build(d) for d in deliveries)

    links = [m.extra_headers["List-Unsubscribe"].strip("<>") for m in (first, long_address)]
    for link, delivery in zip(links, deliveries, strict=False):
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert read_token(token) == {"s": delivery.subscription_id, "u": delivery.user_id}
    assert first.body.replace(links[0], "") == long_address.body.replace(links[1], "")
    assert links[0] in first.body and links[1] not in first.body
    for message, delivery, link in zip((first, long_address), deliveries, links, strict=False):
        data = message.message().as_bytes(linesep="\r\n")
        received = message_from_bytes(data, policy=policy.default)
        # A long value is folded onto a line of its own: its leading white space is not its own.
        headers = {name: str(received[name]).strip() for name in received}
        assert headers["To"] == delivery.user.email
        assert headers["Message-ID"] == message_id(delivery)
        assert headers["X-Delivery-Id"] == str(delivery.uuid)
        assert headers["List-Unsubscribe"] == f"<{link}>"
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["Date"]
        assert link in received.get_body(("plain",)).get_content()
        assert f'href="{link}"' in received.get_body(("html",)).get_content()
        assert LINK.encode() not in data
    # A non-ASCII address is encoded in its header.
    assert non_ascii.message()["To"] == "=?utf-8?q?zo=C3=AB?=@example.org"
    assert str(deliveries[2].uuid) in non_ascii.message()["X-Delivery-Id"]


def test_a_batch_of_notices_goes_over_one_smtp_connection(deliveries, settings):
    sink = SMTPSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    try:
        counts = sending.deliver_many([d.pk for d in deliveries], FOLLOW_UPS)

        assert counts == {DeliveryState.DELIVERED: 3}
        received = sink.received()
        assert sorted(m["X-Delivery-Id"] for _, _, m in received) == sorted(
            str(d.uuid) for d in deliveries
        )
        assert len(set(sink.connections())) == 1
    finally:
        sink.stop()


def test_a_notice_goes_to_the_smtp_server_from_the_sender_to_the_reader(deliveries, settings):
    sink = SMTPSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.DEFAULT_FROM_EMAIL = "Antitrust Tracker <notices@tracker.example.org>"
    try:
        assert NoticeEmails().build(deliveries[0]).send() == 1

        [(sender, recipients, data)] = sink.as_sent()
        assert (sender, recipients) == ("notices@tracker.example.org", ["ada@example.org"])
        assert sink.options == [([f"SIZE={len(data)}"], [])]
        assert data.startswith(b"Content-Type: multipart/alternative;") and b"\r\n" in data
        [(_, _, received)] = sink.received()
        assert received["From"] == "Antitrust Tracker <notices@tracker.example.org>"
        assert received["X-Delivery-Id"] == str(deliveries[0].uuid)
    finally:
        sink.stop()


def test_a_refused_recipient_is_reported_and_the_connection_stays_usable(deliveries, settings):
    sink = SMTPSink()
    sink.refuse.add("ada@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    connection = get_connection(fail_silently=False)
    connection.open()
    try:
        message = NoticeEmails().build(deliveries[0], connection)
        with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
            message.send()
        assert list(refused.value.recipients) == ["ada@example.org"]
        # smtplib sent RSET rather than hang up: the next message goes through on it.
        sink.refuse.clear()
        assert message.send() == 1
        assert len(set(sink.connections())) == 1
    finally:
        connection.close()
        sink.stop()


def test_a_webhook_body_of_a_batch_is_the_text_a_single_send_would_sign(deliveries):
    bodies = WebhookBodies()
    sent_at = timezone.now().replace(microsecond=0)
    for delivery in deliveries:
        assert bodies.body(delivery, sent_at) == webhook_body(delivery, sent_at)
    assert json.loads(bodies.body(deliveries[1], sent_at))["delivery_id"] == str(deliveries[1].uuid)


def test_a_later_batch_reuses_the_rendering_until_the_data_changes(deliveries, settings):
    sink = SMTPSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    first, second, third = deliveries
    try:
        sending.deliver_many([first.pk], FOLLOW_UPS)
        kept = sending.RENDERINGS.get()
        sending.deliver_many([second.pk], FOLLOW_UPS)
        assert sending.RENDERINGS.get() is kept  # nothing changed: the same renderings
        event = first.event
        event.title = "The CMA refers the merger for a phase 2 investigation"
        event.save()
        sending.deliver_many([third.pk], FOLLOW_UPS)

        subjects_and_bodies = [
            (m["Subject"], m.get_body(("plain",)).get_content()) for _, _, m in sink.received()
        ]
        assert all(event.title not in body for _, body in subjects_and_bodies[:2])
        assert event.title in subjects_and_bodies[2][1]
        assert sending.RENDERINGS.get() is not kept
    finally:
        sink.stop()
