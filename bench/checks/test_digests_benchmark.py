"""Measurements, printed, not asserted: run with `pytest -s -m integration -k benchmark`."""

import datetime
import os
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from digests.builder import build_contents
from digests.models import Digest, DigestState
from digests.tasks import run_digests
from notices.choices import Frequency
from notices.models import Subscription
from tests.factories import EventFactory, ReviewFactory
from tests.receivers import wait_for
from tracker.choices import EventKind, ReviewStatus

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

# DIGEST_BENCH_USERS=10000 for the full-size run.
USERS = int(os.environ.get("DIGEST_BENCH_USERS", "1000"))


def test_benchmark_daily_digests(worker, smtp):
    reviews = [ReviewFactory(status=ReviewStatus.PHASE_1) for _ in range(20)]
    for n, review in enumerate(reviews):
        review.next_deadline = timezone.localdate() + datetime.timedelta(days=1 + n % 10)
        review.save()
        for kind in (EventKind.NEWS, EventKind.FILING, EventKind.DECISION):
            EventFactory(review=review, kind=kind)
    User = get_user_model()
    users = User.objects.bulk_create(
        User(username=f"reader{n}", email=f"reader{n}@example.org") for n in range(USERS)
    )
    # Each user follows three deals and one regulator; one in ten follows everything.
    Subscription.objects.bulk_create(
        [
            Subscription(
                user=u,
                deal=reviews[(i + k) % 20].deal,
                frequency=Frequency.DAILY,
                event_kinds=["news", "filing"],
            )
            for i, u in enumerate(users)
            for k in range(3)
        ]
        + [
            Subscription(user=u, regulator=reviews[i % 20].regulator, frequency=Frequency.DAILY)
            for i, u in enumerate(users)
        ]
        + [Subscription(user=u, frequency=Frequency.DAILY) for u in users[::10]]
    )

    now = timezone.now()
    sample = [
        Digest(user=u, frequency=Frequency.DAILY, period_start=now.date(), covered_until=now)
        for u in users[:500]
    ]
    with CaptureQueriesContext(connection) as queries:
        started = time.monotonic()
        build_contents(sample, Frequency.DAILY, timezone.localdate())
        built = time.monotonic() - started

    started_wall = time.time()
    run_digests.delay(Frequency.DAILY)
    assert wait_for(
        lambda: len(smtp.received()) >= USERS, timeout=USERS * 0.2 + 60, interval=0.2
    ), len(smtp.received())
    last_email = max(at for at, _, _ in smtp.received())
    assert wait_for(lambda: Digest.objects.filter(state=DigestState.SENT).count() == USERS)
    print(
        f"\n{USERS} daily digests: building one batch of 500 took {built:.3f} s in {len(queries)} queries; "
        f"beat task to last email {last_email - started_wall:.2f} s "
        f"({USERS / (last_email - started_wall):.0f} digests/s, one worker, 4 processes)"
    )
