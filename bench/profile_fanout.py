"""Where a fan-out's time goes on the worker side: one status change followed by N
subscribers (half email, half webhook, as in bench/fanout.py), its deliveries sent
in-process batch after batch (`deliver_many`, as the worker's `notices.deliver_batch`
tasks do) under cProfile, to a local SMTP sink and HTTP receiver in processes of their own.

    python bench/profile_fanout.py [subscribers] [--cpu]

`--cpu` measures without the profiler, whose own cost about doubles the CPU seconds.

Needs DATABASE_URL (PostgreSQL, migrated, with regulators: `bench/generate_data.py` makes them).
The users and follows are deleted after. Prints what does not depend on the machine's
load (queries and CPU seconds per delivery) and the top functions by own CPU time
(the profiler's clock is the process's CPU time, so waiting on a socket costs nothing).
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.profile_digests import print_profile


def main(subscribers: int, with_profiler: bool = True) -> None:
    from bench.sinks import receivers

    with receivers() as (smtp_port, webhook_url):
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            WEBHOOK_ALLOW_HTTP="true",
            WEBHOOK_ALLOW_PRIVATE_ADDRESSES="true",
            LOG_LEVEL="WARNING",
        )
        import django

        django.setup()
        profile(subscribers, webhook_url, with_profiler)


def profile(subscribers: int, webhook_url: str, with_profiler: bool) -> None:
    import cProfile

    from django.conf import settings
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from bench.fanout import SOURCE_URL, create_followers, remove_followers
    from notices.choices import DeliveryState
    from notices.models import Delivery
    from notices.sending import deliver_many
    from notices.tasks import FOLLOW_UPS
    from tracker.choices import ReviewStatus
    from tracker.services import transition_review

    stamp = f"{time.time_ns()}"
    review = create_followers(stamp, subscribers, webhook_url)
    try:
        # Recorded without handing over: the deliveries are sent here, not by a worker.
        with without_hand_over(), transaction.atomic():
            event = transition_review(
                source_url=SOURCE_URL,
                review_id=review.pk,
                to_status=ReviewStatus.PHASE_2,
                occurred_on=datetime.date(2025, 2, 3),
            ).event
        ids = list(Delivery.objects.filter(event=event).order_by("pk").values_list("pk", flat=True))
        size = settings.NOTICES_BATCH_SIZE
        batches = [ids[i : i + size] for i in range(0, len(ids), size)]
        profiler = cProfile.Profile(time.process_time) if with_profiler else None
        with CaptureQueriesContext(connection) as queries:
            cpu, wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            for batch in batches:
                deliver_many(batch, FOLLOW_UPS)
            if profiler:
                profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        delivered = Delivery.objects.filter(event=event, state=DeliveryState.DELIVERED).count()
        print(
            f"{delivered} of {len(ids)} deliveries delivered, {len(batches)} batches; "
            f"{len(queries)} queries ({len(queries) / max(delivered, 1):.2f} per delivery); "
            f"CPU {cpu:.2f} s ({cpu / max(delivered, 1) * 1000:.2f} ms per delivery), wall {wall:.2f} s; "
            f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        if profiler:
            print_profile(profiler)
    finally:
        remove_followers(stamp, review.deal)


def without_hand_over():
    """Deliveries recorded at commit but not enqueued: the profile sends them itself."""
    from unittest import mock

    return mock.patch("notices.dispatch.hand_over", lambda ids: None)


if __name__ == "__main__":
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    main(int(numbers[0]) if numbers else 2000, with_profiler="--cpu" not in sys.argv)
