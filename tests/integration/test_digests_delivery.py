"""Digests end to end: beat in a real worker process, Redis, PostgreSQL and SMTP."""

import pytest
from django.core.management import call_command

from digests.models import Digest, DigestState
from notices.choices import Frequency
from tests.factories import EventFactory, ReviewFactory, SubscriptionFactory, UserFactory
from tests.integration.conftest import WORKER_CONCURRENCY
from tests.receivers import wait_for
from tracker.choices import EventKind, ReviewStatus

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def review():
    return ReviewFactory(
        status=ReviewStatus.PHASE_1, deal__title="Amazon / Anthropic", regulator__short_name="CMA"
    )


def test_beat_sends_each_follower_one_digest_and_later_runs_send_nothing_twice(
    worker_factory, smtp, review, settings
):
    followers = [UserFactory() for _ in range(3)]
    for user in followers:
        SubscriptionFactory(
            user=user, deal=review.deal, frequency=Frequency.DAILY, event_kinds=["news", "decision"]
        )
    quiet = UserFactory()
    SubscriptionFactory(
        user=quiet, frequency=Frequency.DAILY, event_kinds=["hearing"]
    )  # nothing new for them
    EventFactory(review=review, kind=EventKind.NEWS, title="CMA invites comment")
    EventFactory(review=review, kind=EventKind.DECISION, title="CMA clears the deal")

    # Beat runs the daily digest every second here, so every tick after the first is a
    # rerun for the same day.
    worker = worker_factory(DIGESTS_DAILY_SCHEDULE="1", DIGEST_BATCH_SIZE="2").start()

    assert wait_for(lambda: len(smtp.received()) >= 3, timeout=30), worker.log()
    ran = worker.runs_of("digests.run")
    # Several more beat ticks, each a rerun for the same day.
    assert wait_for(lambda: worker.runs_of("digests.run") >= ran + 3, timeout=30), worker.log()
    received = smtp.received()
    assert sorted(r for _, rcpt, _ in received for r in rcpt) == sorted(u.email for u in followers)
    _, _, message = received[0]
    assert message["Subject"] == "Daily digest: 2 updates"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "CMA invites comment" in text and "CMA clears the deal" in html
    assert str(message["List-Unsubscribe"]).strip().startswith("<http://")
    assert Digest.objects.get(user=quiet).state == DigestState.EMPTY
    assert Digest.objects.filter(state=DigestState.SENT).count() == 3

    # A cron rerun of the same period, against the same SMTP server, sends nothing.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    # The command sends in this process: what it sent is on the server when it returns.
    call_command("send_digests", "--frequency", "daily", stdout=open("/dev/null", "w"))
    assert len(smtp.received()) == 3


def test_a_worker_killed_while_sending_leaves_no_digest_unsent_or_sent_twice(
    worker_factory, smtp, review, settings
):
    users = [UserFactory() for _ in range(6)]
    for user in users:
        SubscriptionFactory(
            user=user, deal=review.deal, frequency=Frequency.DAILY, event_kinds=["news"]
        )
    EventFactory(review=review, kind=EventKind.NEWS)
    # A short lease, so rows claimed by the killed worker may be taken over.
    env = {
        "DIGESTS_DAILY_SCHEDULE": "1",
        "DIGEST_BATCH_SIZE": "1",
        "DIGEST_CLAIM_LEASE_SECONDS": "2",
    }
    worker = worker_factory(**env).start()
    assert wait_for(lambda: smtp.received(), timeout=30), worker.log()
    worker.kill()
    # The SMTP server has stored what was fully sent before the kill once it has seen every
    # connection the killed processes held close.
    assert wait_for(lambda: smtp.open_connections() == 0, timeout=10), smtp.open_connections()
    marked_sent = set(
        Digest.objects.filter(state=DigestState.SENT).values_list("user__email", flat=True)
    )
    # Received but not yet marked: the only emails a takeover may send again, at most one
    # per pool process (each sends its batch one email at a time).
    in_flight = {r for _, rcpt, _ in smtp.received() for r in rcpt} - marked_sent
    assert len(in_flight) <= WORKER_CONCURRENCY
    worker.start()

    assert wait_for(
        lambda: (
            not Digest.objects.exclude(state=DigestState.SENT).exists()
            and Digest.objects.count() == 6
        ),
        timeout=40,
    ), (list(Digest.objects.values_list("state", flat=True)), worker.log())
    ran = worker.runs_of("digests.run")
    # Later ticks find every digest sent and send nothing more.
    assert wait_for(lambda: worker.runs_of("digests.run") >= ran + 2, timeout=30), worker.log()
    recipients = [r for _, rcpt, _ in smtp.received() for r in rcpt]
    assert sorted(set(recipients)) == sorted(u.email for u in users)
    sent_twice = {r for r in recipients if recipients.count(r) > 1}
    assert all(recipients.count(r) <= 2 for r in recipients)
    assert sent_twice <= in_flight, (sent_twice, in_flight)
