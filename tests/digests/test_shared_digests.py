"""Readers who follow the same things share one rendering of their digest; each still gets
their own address, message id and unsubscribe link, and a batch goes over one connection."""

import datetime
from email import message_from_bytes, policy

import pytest
from django.core import mail
from django.utils import timezone

from digests.builder import build_contents
from digests.emails import DigestEmails, message_id
from digests.models import Digest, DigestState
from digests.sending import DIGEST_EMAILS, plan, send_batch
from digests.unsubscribe import read_token
from notices.choices import Frequency
from notices.emails import LINK
from tests.factories import EventFactory, ReviewFactory, SubscriptionFactory, UserFactory
from tests.receivers import SMTPSink
from tracker.choices import EventKind, ReviewStatus

pytestmark = pytest.mark.django_db

DAILY = Frequency.DAILY


@pytest.fixture
def review():
    review = ReviewFactory(
        status=ReviewStatus.PHASE_1, deal__title="Amazon / Anthropic", regulator__short_name="CMA"
    )
    review.next_deadline = timezone.localdate() + datetime.timedelta(days=1)
    review.save()
    EventFactory(review=review, kind=EventKind.NEWS, title="CMA invites comment")
    return review


def readers(review, *emails):
    users = [UserFactory(email=email) for email in emails]
    for user in users:
        SubscriptionFactory(user=user, deal=review.deal, frequency=DAILY, event_kinds=["news"])
    return users


def digests_of(users):
    now = timezone.now()
    digests = [
        Digest.objects.create(user=u, frequency=DAILY, period_start=now.date(), covered_until=now)
        for u in users
    ]
    return digests, build_contents(digests, DAILY, timezone.localdate())


def test_readers_with_the_same_follows_get_the_same_digest_but_their_own_unsubscribe_link(review):
    users = readers(review, "ada@example.org", "grace@example.org")
    plan(DAILY)

    send_batch(DAILY, timezone.localdate(), [u.pk for u in users])

    first, second = sorted(mail.outbox, key=lambda m: m.to)
    assert (first.to, second.to) == (["ada@example.org"], ["grace@example.org"])
    links = [m.extra_headers["List-Unsubscribe"].strip("<>") for m in (first, second)]
    assert [read_token(link.rstrip("/").rsplit("/", 1)[1]) for link in links] == [
        {"u": u.pk, "f": DAILY} for u in users
    ]
    for message, own, other in ((first, links[0], links[1]), (second, links[1], links[0])):
        html = message.alternatives[0][0]
        assert (
            own in message.body
            and own in html
            and message.extra_headers["List-Unsubscribe"] == f"<{own}>"
        )
        assert other not in message.body and other not in html
    assert first.subject == second.subject
    assert first.body.replace(links[0], "") == second.body.replace(links[1], "")
    assert first.alternatives[0][0].replace(links[0], "") == second.alternatives[0][0].replace(
        links[1], ""
    )
    assert first.extra_headers["Message-ID"] != second.extra_headers["Message-ID"]


def test_a_readers_digest_carries_their_own_address_ids_and_link_whole(review):
    # A long address and a long unsubscribe link: folded, never broken or lost.
    users = readers(
        review, "first.reader@example.org", "a." + "very-long-name." * 3 + "reader@mail.example.org"
    )
    digests, contents = digests_of(users)
    emails = DigestEmails()

    for digest in digests:
        data = emails.build(digest, contents[digest.user_id]).message().as_bytes(linesep="\r\n")
        received = message_from_bytes(data, policy=policy.default)
        # A long value is folded onto a line of its own: its leading white space is not its own.
        headers = {name: str(received[name]).strip() for name in received}
        link = headers["List-Unsubscribe"].strip("<>")
        assert read_token(link.rstrip("/").rsplit("/", 1)[1]) == {"u": digest.user_id, "f": DAILY}
        assert headers["To"] == digest.user.email
        assert headers["Message-ID"] == message_id(digest)
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert headers["Date"]
        assert link in received.get_body(("plain",)).get_content()
        assert f'href="{link}"' in received.get_body(("html",)).get_content()
        assert LINK.encode() not in data


def test_a_non_ascii_address_is_encoded_in_its_header(review):
    users = readers(review, "zoë@example.org", "plain@example.org")
    digests, contents = digests_of(users)
    emails = DigestEmails()

    own, plain = (emails.build(d, contents[d.user_id]) for d in digests)

    assert own.message()["To"] == "=?utf-8?q?zo=C3=AB?=@example.org"
    assert plain.message()["To"] == "plain@example.org"
    assert LINK.encode() not in own.message().as_bytes() + plain.message().as_bytes()


def test_a_batch_goes_over_one_smtp_connection(review, settings):
    users = readers(review, "one@example.org", "two@example.org", "three@example.org")
    sink = SMTPSink()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    try:
        the_plan = plan(DAILY)
        assert send_batch(DAILY, the_plan.period, [u.pk for u in users]) == {
            "sent": 3,
            "empty": 0,
            "failed": 0,
        }

        received = sink.received()
        assert sorted(r for _, rcpt, _ in received for r in rcpt) == sorted(u.email for u in users)
        assert len(set(sink.connections())) == 1
        unsubscribe_links = {str(message["List-Unsubscribe"]) for _, _, message in received}
        assert len(unsubscribe_links) == 3
        assert all(
            message["Subject"] == "Daily digest: 1 update, 1 deadline ahead"
            for _, _, message in received
        )
    finally:
        sink.stop()
    assert Digest.objects.filter(state=DigestState.SENT).count() == 3


def test_a_later_batch_reuses_the_rendering_until_the_data_changes(review):
    users = readers(review, "ada@example.org", "grace@example.org", "alan@example.org")
    plan(DAILY)
    today = timezone.localdate()

    send_batch(DAILY, today, [users[0].pk])
    kept = DIGEST_EMAILS.get()
    send_batch(DAILY, today, [users[1].pk])
    assert DIGEST_EMAILS.get() is kept  # nothing changed: the same renderings
    event = review.events.get(title="CMA invites comment")
    event.title = "CMA clears the deal"
    event.save()
    send_batch(DAILY, today, [users[2].pk])

    first, second, third = mail.outbox
    assert "CMA invites comment" in first.body and "CMA invites comment" in second.body
    assert "CMA clears the deal" in third.body and "CMA clears the deal" in third.alternatives[0][0]
    assert DIGEST_EMAILS.get() is not kept
