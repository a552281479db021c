"""Daily digests for N users: seconds from the beat task until every digest is sent.

Each user follows three deals and one regulator by daily digest, one in ten follows
everything; twenty followed reviews have fresh events and deadlines ahead. A real
Celery worker on Redis sends to a local SMTP sink (in its own process, as in the fan-out
stage, so the harness does not compete with the worker for the interpreter). Prints one
JSON line.
"""

from __future__ import annotations

import datetime
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(users_wanted: int) -> None:
    from bench.sinks import receivers

    with receivers() as (smtp_port, _webhook_url):
        run(users_wanted, smtp_port)


def run(users_wanted: int, smtp_port: int) -> None:
    broker = os.environ["BENCH_BROKER_URL"]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        CELERY_BROKER_URL=broker,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    import redis

    from bench.machine import load_average
    from bench.worker import CeleryWorker
    from digests.models import Digest, DigestState
    from digests.tasks import run_digests
    from notices.choices import Frequency

    redis.Redis.from_url(broker).flushdb()
    stamp = f"{time.time_ns()}"
    create_readers(stamp, users_wanted)
    concurrency = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "8"))
    mine = Digest.objects.filter(user__username__startswith=f"bench-{stamp}-")
    try:
        with CeleryWorker({**os.environ, "CONN_MAX_AGE": "600"}, concurrency) as worker:
            started = time.monotonic()
            run_digests.delay(Frequency.DAILY)
            deadline = started + 900
            while mine.filter(state=DigestState.SENT).count() < users_wanted:
                if time.monotonic() > deadline:
                    raise SystemExit(
                        f"only {mine.filter(state=DigestState.SENT).count()} sent after 900 s"
                    )
                time.sleep(0.2)
            seconds = time.monotonic() - started
        # A digest is marked sent only once the SMTP server accepted it.
        print(
            json.dumps(
                {
                    "users": users_wanted,
                    "sent": mine.filter(state=DigestState.SENT).count(),
                    "seconds": seconds,
                    "concurrency": concurrency,
                    "worker_cpu_seconds": worker.cpu_seconds,
                    "load": load_average(),
                }
            )
        )
    finally:
        remove_readers(stamp)


def create_readers(stamp: str, users_wanted: int) -> None:
    """Twenty followed reviews with fresh events and deadlines ahead, and the users who follow them."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from notices.choices import Frequency
    from notices.models import Subscription
    from regulators.models import Regulator
    from tracker.choices import EventKind, ReviewStatus
    from tracker.models import Deal, Event, Review

    User = get_user_model()
    # Leftovers of an interrupted run would be followed (and digested) too.
    User.objects.filter(username__startswith="bench-").delete()
    Deal.objects.filter(slug__startswith="bench-").delete()
    regulators = list(Regulator.objects.order_by("pk")[:20])
    today = timezone.localdate()
    reviews = []
    for n in range(20):
        deal = Deal.objects.create(
            title=f"Digest {stamp} {n}", slug=f"bench-digest-{stamp}-{n}", deal_type="merger"
        )
        review = Review.objects.create(
            deal=deal,
            regulator=regulators[n % len(regulators)],
            status=ReviewStatus.PHASE_1,
            opened_on=today - datetime.timedelta(days=30),
            next_deadline=today + datetime.timedelta(days=1 + n % 10),
        )
        reviews.append(review)
        for kind in (EventKind.NEWS, EventKind.FILING, EventKind.DECISION):
            Event.objects.create(
                deal=deal,
                review=review,
                kind=kind,
                occurred_on=today,
                title=f"{kind} {n}",
                source_url="https://example.org/source",
            )
    users = User.objects.bulk_create(
        User(username=f"bench-{stamp}-{n}", email=f"reader{n}@example.org")
        for n in range(users_wanted)
    )
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


def remove_readers(stamp: str) -> None:
    from django.contrib.auth import get_user_model

    from tracker.models import Deal

    get_user_model().objects.filter(username__startswith=f"bench-{stamp}-").delete()
    Deal.objects.filter(slug__startswith=f"bench-digest-{stamp}-").delete()


if __name__ == "__main__":
    main(int(sys.argv[1]))
