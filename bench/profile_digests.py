"""Where a digest's time goes on the worker side: a period's digests for N users planned
and sent in-process (`send_batch`, batch after batch) under cProfile, to a local SMTP
sink in a process of its own.

    python bench/profile_digests.py [users] [--cpu]

`--cpu` measures without the profiler, whose own cost about doubles the CPU seconds.

Needs DATABASE_URL (PostgreSQL, migrated, with regulators: `bench/generate_data.py` makes them).
The users and follows are the digest stage's (bench/digests.py); they are deleted after.
Prints what does not depend on the machine's load (queries and CPU seconds per digest)
and the top functions by own CPU time (the profiler's clock is the process's CPU time,
so waiting on a socket costs nothing).
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(users_wanted: int, with_profiler: bool = True) -> None:
    from bench.sinks import receivers

    with receivers() as (smtp_port, _webhook_url):
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings",
            EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
            LOG_LEVEL="WARNING",
        )
        import django

        django.setup()
        profile(users_wanted, with_profiler)


def profile(users_wanted: int, with_profiler: bool) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.digests import create_readers, remove_readers
    from digests.models import Digest, DigestState
    from digests.sending import plan, send_batch
    from notices.choices import Frequency

    stamp = f"{time.time_ns()}"
    create_readers(stamp, users_wanted)
    try:
        the_plan = plan(Frequency.DAILY)
        profiler = cProfile.Profile(time.process_time) if with_profiler else None
        with CaptureQueriesContext(connection) as queries:
            cpu, wall = time.process_time(), time.perf_counter()
            if profiler:
                profiler.enable()
            for batch in the_plan.batches:
                send_batch(the_plan.frequency, the_plan.period, batch)
            if profiler:
                profiler.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        sent = Digest.objects.filter(
            user__username__startswith=f"bench-{stamp}-", state=DigestState.SENT
        ).count()
        print(
            f"{sent} digests sent of {users_wanted} users, {len(the_plan.batches)} batches; "
            f"{len(queries)} queries ({len(queries) / max(sent, 1):.2f} per digest); "
            f"CPU {cpu:.2f} s ({cpu / max(sent, 1) * 1000:.2f} ms per digest), wall {wall:.2f} s; "
            f"load average {' / '.join(f'{x:.2f}' for x in os.getloadavg())}"
        )
        if profiler:
            print_profile(profiler)
    finally:
        remove_readers(stamp)


def print_profile(profiler) -> None:
    if os.environ.get("PROFILE_OUT"):
        profiler.dump_stats(os.environ["PROFILE_OUT"])  # for pstats' callers and callees
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(25)
    stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    numbers = [arg for arg in sys.argv[1:] if arg.isdigit()]
    main(int(numbers[0]) if numbers else 2000, with_profiler="--cpu" not in sys.argv)
