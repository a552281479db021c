"""Followers of one event share one rendering of its notice email; each still gets their
own address, message and delivery ids and unsubscribe link, over one SMTP connection."""

import datetime
import json
import smtplib
import string
from email.policy import compat32
from random import Random

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.utils import timezone

from notices import sending
from notices.choices import Channel, DeliveryState
from notices.emails import NoticeEmails
from notices.models import Delivery
from notices.prepared import fits, folded_header
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


def boundary(message) -> str:
    return message.message().as_bytes().split(b'boundary="', 1)[1].split(b'"', 1)[0].decode()


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
        assert message.prepared is not None
        copied = message.message().as_bytes(linesep="\r\n")
        built = EmailMultiAlternatives.message(message)
        built.set_boundary(boundary(message))
        assert copied == built.as_bytes(linesep="\r\n")  # what Django would have sent this reader
        assert str(delivery.uuid).encode() in copied and link.encode() in copied
    # A non-ASCII address is encoded in its header: that message is built in full.
    assert non_ascii.prepared is None
    assert non_ascii.message()["To"] == "=?utf-8?q?zo=C3=AB?=@example.org"


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


def test_a_copy_goes_to_the_smtp_server_exactly_as_djangos_backend_would_send_it(
    deliveries, settings
):
    sink = SMTPSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.DEFAULT_FROM_EMAIL = "Antitrust Tracker <notices@tracker.example.org>"
    try:
        message = NoticeEmails().build(deliveries[0])
        assert message.prepared is not None

        assert message.send() == 1  # straight to the SMTP connection
        assert EmailMultiAlternatives.send(message) == 1  # through Django's backend

        direct, through_django = sink.as_sent()
        assert direct == through_django
        direct_options, django_options = sink.options
        assert direct_options == django_options == ([f"SIZE={len(direct[2])}"], [])
        sender, recipients, data = direct
        assert (sender, recipients) == ("notices@tracker.example.org", ["ada@example.org"])
        assert data.startswith(b"Content-Type: multipart/alternative;") and b"\r\n" in data
    finally:
        sink.stop()


def test_a_refused_recipient_is_reported_as_smtplib_reports_it(deliveries, settings):
    sink = SMTPSink()
    sink.refuse.add("ada@example.org")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    try:
        message = NoticeEmails().build(deliveries[0])
        assert message.prepared is not None
        with pytest.raises(smtplib.SMTPRecipientsRefused) as direct:
            message.send()
        with pytest.raises(smtplib.SMTPRecipientsRefused) as through_django:
            EmailMultiAlternatives.send(message)
        assert direct.value.args == through_django.value.args
        assert list(direct.value.recipients) == ["ada@example.org"]
        # The connection was reset, not dropped: the next message goes through.
        sink.refuse.clear()
        assert message.send() == 1
    finally:
        sink.stop()


def test_an_address_django_would_rewrite_is_not_copied_into_a_shared_form():
    plain = [
        "ada@example.org",
        "a.b+c@mail.example.org",
        "o'neil@x-y.example",
        "x_1!#$%&*/=?^`{|}~@e.co",
    ]
    rewritten = [
        "Ada <ada@example.org>",
        "a..b@example.org",
        ".a@example.org",
        "a@b..org",
        "a@-b.org",
        "zoë@example.org",
        "a@" + "l" * 64 + ".org",
        '"a b"@example.org',
        "a @example.org",
    ]
    for address in plain:
        assert (
            fits(address, [], "https://x.example/u/")
            and sanitize_address(address, "utf-8") == address
        )
    for address in rewritten:
        assert not fits(address, [], "https://x.example/u/")


def test_headers_are_folded_as_the_mime_form_folds_them():
    random = Random(16)
    alphabet = string.ascii_letters + string.digits + "<>@.:/_-=+!#$%&*?^{|}~()[]\"'\\"
    values = [
        "",
        "Tue, 01 Dec 2026 14:10:53 -0000",
        "a, b; c",
        "  two  spaces ",
        "zoë",
        "tab\there",
    ]
    for length in (1, 20, 55, 60, 61, 62, 70, 76, 77, 78, 79, 80, 120, 300):
        values.append("".join(random.choice(alphabet) for _ in range(length)))
        values.append("".join(random.choice(alphabet + " ,;") for _ in range(length)))
    for name in ("To", "Date", "Message-ID", "X-Delivery-Id", "List-Unsubscribe"):
        for value in values:
            assert folded_header(name, value) == compat32.fold_binary(name, value), (name, value)


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
