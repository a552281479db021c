"""Fan-out: one status change followed by N subscribers, half by email, half by webhook.

Prints one JSON line: seconds from commit until every delivery is delivered, with a
real Celery worker on Redis, a local SMTP sink and a local HTTP receiver.
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

# A status change needs the regulator's (or a court's) page as its source.
SOURCE_URL = "https://example.org/regulator/case"


def main(subscribers: int) -> None:
    from bench.sinks import receivers

    with receivers() as (smtp_port, webhook_url):
        run(subscribers, smtp_port, webhook_url)


def run(subscribers: int, smtp_port: int, webhook_url: str) -> None:
    broker = os.environ["BENCH_BROKER_URL"]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        CELERY_BROKER_URL=broker,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        WEBHOOK_ALLOW_HTTP="true",
        WEBHOOK_ALLOW_PRIVATE_ADDRESSES="true",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    import redis
    from django.db import transaction

    from bench.machine import load_average
    from bench.worker import CeleryWorker
    from notices.choices import DeliveryState
    from notices.models import Delivery
    from tracker.choices import ReviewStatus
    from tracker.services import transition_review

    redis.Redis.from_url(broker).flushdb()
    stamp = f"{time.time_ns()}"
    review = create_followers(stamp, subscribers, webhook_url)
    deal = review.deal
    concurrency = int(os.environ.get("BENCH_WORKER_CONCURRENCY", "8"))
    worker_env = {**os.environ, "CONN_MAX_AGE": "600"}
    try:
        with CeleryWorker(worker_env, concurrency) as worker:
            started = time.monotonic()
            with transaction.atomic():
                event = transition_review(
                    source_url=SOURCE_URL,
                    review_id=review.pk,
                    to_status=ReviewStatus.PHASE_2,
                    occurred_on=datetime.date(2025, 2, 3),
                ).event
                recorded = time.monotonic()
            committed = time.monotonic()
            deadline = committed + 900
            pending = Delivery.objects.filter(event=event).exclude(state=DeliveryState.DELIVERED)
            while pending.exists():
                if time.monotonic() > deadline:
                    raise SystemExit(f"not delivered after 900 s: {pending.count()} left")
                time.sleep(0.2)
            done = time.monotonic()
        delivered = Delivery.objects.filter(event=event, state=DeliveryState.DELIVERED)
        emails, hooks = (
            delivered.filter(channel="email").count(),
            delivered.filter(channel="webhook").count(),
        )
        print(
            json.dumps(
                {
                    "subscribers": subscribers,
                    "emails": emails,
                    "webhooks": hooks,
                    "concurrency": concurrency,
                    "record_seconds": recorded - started,
                    "seconds": done - committed,
                    "deliveries": Delivery.objects.filter(event=event).count(),
                    "worker_cpu_seconds": worker.cpu_seconds,
                    "load": load_average(),
                }
            )
        )
    finally:
        remove_followers(stamp, deal)


def create_followers(stamp: str, subscribers: int, webhook_url: str):
    """A review in phase 1 whose deal `subscribers` users follow, the first half by email,
    the others by webhook to `webhook_url`. Returns the review."""
    from django.contrib.auth import get_user_model

    from notices.models import Subscription, WebhookEndpoint
    from regulators.models import Regulator
    from tracker.choices import ReviewStatus
    from tracker.models import Deal, Review

    User = get_user_model()
    # Leftovers of an interrupted run would be followed (and digested) too.
    User.objects.filter(username__startswith="bench-").delete()
    Deal.objects.filter(slug__startswith="bench-").delete()
    deal = Deal.objects.create(
        title=f"Fan-out {stamp}", slug=f"bench-fanout-{stamp}", deal_type="merger"
    )
    review = Review.objects.create(
        deal=deal,
        regulator=Regulator.objects.order_by("pk").first(),
        status=ReviewStatus.PHASE_1,
        opened_on=datetime.date(2025, 1, 6),
    )
    users = User.objects.bulk_create(
        User(username=f"bench-{stamp}-{n}", email=f"reader{n}@example.org")
        for n in range(subscribers)
    )
    half = subscribers // 2
    WebhookEndpoint.objects.bulk_create(
        WebhookEndpoint(user=u, url=webhook_url) for u in users[half:]
    )
    Subscription.objects.bulk_create(
        Subscription(user=u, deal=deal, by_email=n < half, by_webhook=n >= half)
        for n, u in enumerate(users)
    )
    return review


def remove_followers(stamp: str, deal) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username__startswith=f"bench-{stamp}-").delete()
    deal.delete()


if __name__ == "__main__":
    main(int(sys.argv[1]))
