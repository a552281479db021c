"""Followers of one event share one rendering of its notice email; each still gets their
own address, message and delivery ids and unsubscribe link, over one SMTP connection."""

import datetime

import pytest
from django.core.mail import EmailMultiAlternatives

from tests.factories import ReviewFactory, SubscriptionFactory, UserFactory
from tests.receivers import SMTPSink
from tracker.choices import ReviewStatus
from notices import sending
from notices.choices import Channel, DeliveryState
from notices.emails import NoticeEmails
from notices.models import Delivery
from notices.tasks import FOLLOW_UPS
from notices.unsubscribe import read_token
from tracker.services import transition_review

pytestmark = pytest.mark.django_db


@pytest.fixture
def deliveries():
    review = ReviewFactory(status=ReviewStatus.PHASE_1, reference="ME/7080/24", deal__title="Amazon / Anthropic")
    for email in ("ada@example.org", "a." + "very-long-name." * 3 + "reader@mail.example.org", "zoë@example.org"):
        SubscriptionFactory(user=UserFactory(email=email), deal=review.deal, by_email=True, by_webhook=False)
    event = transition_review(
        review_id=review.pk, to_status=ReviewStatus.PHASE_2, occurred_on=datetime.date(2024, 5, 2),
        source_url="https://www.gov.uk/cma-cases/amazon-anthropic",
    ).event
    return list(Delivery.objects.filter(event=event, channel=Channel.EMAIL).order_by("pk"))


def boundary(message) -> str:
    return message.message().as_bytes().split(b'boundary="', 1)[1].split(b'"', 1)[0].decode()


def test_followers_get_the_same_notice_but_their_own_ids_and_unsubscribe_link(deliveries):
    emails = NoticeEmails()
    first, long_address, non_ascii = (emails.build(d) for d in deliveries)

    links = [m.extra_headers["List-Unsubscribe"].strip("<>") for m in (first, long_address)]
    for link, delivery in zip(links, deliveries):
        token = link.rstrip("/").rsplit("/", 1)[1]
        assert read_token(token) == {"s": delivery.subscription_id, "u": delivery.user_id}
    assert first.body.replace(links[0], "") == long_address.body.replace(links[1], "")
    assert links[0] in first.body and links[1] not in first.body
    for message, delivery, link in zip((first, long_address), deliveries, links):
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
        assert sorted(m["X-Delivery-Id"] for _, _, m in received) == sorted(str(d.uuid) for d in deliveries)
        assert len(set(sink.connections())) == 1
    finally:
        sink.stop()
