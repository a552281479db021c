"""Measurements, printed, not asserted: run with `pytest -s -m integration -k benchmark`."""

import datetime
import statistics
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from notices.choices import DeliveryState
from notices.models import Delivery, Subscription
from tests.factories import (
    SOURCE_URL,
    ReviewFactory,
    SubscriptionFactory,
    UserFactory,
    WebhookEndpointFactory,
)
from tests.receivers import wait_for
from tracker.choices import ReviewStatus
from tracker.services import transition_review

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = 1000


def test_benchmark_a_status_change_with_1000_email_subscribers(worker, smtp):
    review = ReviewFactory(status=ReviewStatus.PHASE_1)
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"reader{n}", email=f"reader{n}@example.org") for n in range(SUBSCRIBERS)
    )
    Subscription.objects.bulk_create(Subscription(user=u, deal=review.deal) for u in users)

    marks = {}
    started = time.monotonic()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        # Registered first, so it runs at commit before the enqueue callback.
        transaction.on_commit(lambda: marks.setdefault("commit", time.monotonic()))
        event = transition_review(
            source_url=SOURCE_URL,
            review_id=review.pk,
            to_status=ReviewStatus.PHASE_2,
            occurred_on=datetime.date(2024, 9, 27),
        ).event
    returned = time.monotonic()

    assert wait_for(lambda: len(smtp.received()) >= SUBSCRIBERS, timeout=240, interval=0.2), len(
        smtp.received()
    )
    last_received = max(at for at, _, _ in smtp.received())
    first_received = min(at for at, _, _ in smtp.received())
    wall_offset = time.time() - time.monotonic()
    commit_wall = marks["commit"] + wall_offset
    assert wait_for(
        lambda: (
            not Delivery.objects.filter(event=event).exclude(state=DeliveryState.DELIVERED).exists()
        )
    )
    print(
        f"\n{SUBSCRIBERS} subscribers: transaction {marks['commit'] - started:.3f} s "
        f"({len(queries)} queries, recording the deliveries included); "
        f"after-commit hand-over to the broker {returned - marks['commit']:.3f} s; "
        f"commit to first email {first_received - commit_wall:.3f} s, to last email "
        f"{last_received - commit_wall:.3f} s "
        f"({SUBSCRIBERS / (last_received - commit_wall):.0f} emails/s, one worker, 4 processes)"
    )


def test_benchmark_one_notice_from_commit_to_receipt(worker, smtp, receiver):
    """One follower by email and webhook; five status changes, each timed from its commit."""
    user = UserFactory()
    SubscriptionFactory(user=user, deal=None, by_email=True, by_webhook=True)  # follows everything
    WebhookEndpointFactory(user=user, url=receiver.url("/one"))
    reviews = [ReviewFactory(status=ReviewStatus.PHASE_1) for _ in range(5)]
    email_s, webhook_s = [], []
    for n, review in enumerate(reviews, start=1):
        with transaction.atomic():
            transition_review(
                source_url=SOURCE_URL,
                review_id=review.pk,
                to_status=ReviewStatus.PHASE_2,
                occurred_on=datetime.date(2024, 9, 27),
            )
        committed = time.time()
        assert wait_for(
            lambda n=n: len(smtp.received()) >= n and len(receiver.to("/one")) >= n, timeout=30
        ), worker.log()
        email_s.append(smtp.received()[n - 1][0] - committed)
        webhook_s.append(receiver.to("/one")[n - 1].received_at - committed)
    print(
        "\none notice, commit to receipt over 5 status changes: email median "
        f"{statistics.median(email_s) * 1000:.0f} ms "
        f"(max {max(email_s) * 1000:.0f} ms), webhook median {statistics.median(webhook_s) * 1000:.0f} ms "
        f"(max {max(webhook_s) * 1000:.0f} ms)"
    )
    assert max(email_s) < 30 and max(webhook_s) < 30
