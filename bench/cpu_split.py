"""Where a benchmark stage's CPU goes: runs the stage and reads, every 0.2 s, the CPU
seconds of its processes (the worker and its pool, the SMTP and HTTP sinks), of the
PostgreSQL backends serving the stage's database, and of the Redis server.

    python bench/cpu_split.py bench/fanout.py 10000

Prints the stage's own output, then one JSON line of CPU seconds per group. A process
that lived for the whole run counts from the first reading; one started during it, in
full. Redis and the PostgreSQL server's own processes (WAL writer, checkpointer) serve
other work on a shared machine too: theirs is an upper bound.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of a process, None once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK


def _cmdline(pid: int) -> str:
    try:
        return (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except (FileNotFoundError, ProcessLookupError):
        return ""


def _group(pid: int, parents: dict[int, int], root: int, database: str) -> str | None:
    line = _cmdline(pid)
    ancestor = pid
    while ancestor in parents and ancestor != root:
        ancestor = parents[ancestor]
    if ancestor == root:
        if "aiosmtpd" in line or "bench.sinks smtp" in line:
            return "smtp sink"
        if "bench.sinks" in line:
            return "http sink"
        if "celery" in line:
            return "worker"
        return "stage process"
    if line.startswith("postgres:") or "postgres" in line.split(" ", 1)[0]:
        if f" {database} " in line:
            return "postgres backends"
        # Backends of other databases are other work's; the server's own processes (WAL
        # writer, checkpointer) serve this stage too.
        return "postgres, other databases" if "(" in line else "postgres server (shared)"
    if line.startswith("redis-server") or "/redis-server" in line:
        return "redis (shared)"
    return None


def _machine_busy() -> float:
    """CPU seconds every process on the machine has used since boot (all cores)."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / TICK


def main(args: list[str]) -> None:
    database = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    first: dict[int, float] = {}
    last: dict[int, float] = {}
    groups: dict[int, str] = {}
    started_before: set[int] = set()

    def read(initial: bool = False) -> None:
        pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
        stats = {pid: s for pid in pids if (s := _stat(pid)) is not None}
        parents = {pid: s[0] for pid, s in stats.items()}
        for pid, (_, cpu) in stats.items():
            if pid not in groups:
                group = _group(pid, parents, stage.pid if not initial else -1, database)
                if group is None:
                    continue
                groups[pid] = group
                first[pid] = cpu if initial else 0.0
                if initial:
                    started_before.add(pid)
            last[pid] = cpu

    stage = None
    read(initial=True)
    machine_start = _machine_busy()
    stage = subprocess.Popen([sys.executable, *args])
    clock = time.monotonic()
    timeline = []
    next_second = 1.0
    while stage.poll() is None:
        read()
        if time.monotonic() - clock >= next_second:
            totals = totals_of(groups, first, last)
            totals["machine (all processes)"] = round(_machine_busy() - machine_start, 2)
            timeline.append((round(time.monotonic() - clock), totals))
            next_second += 1.0
        time.sleep(0.2)
    # Per second: the CPU seconds each group used in it, to find the stage's stretches.
    previous: dict[str, float] = {}
    for second, totals in timeline:
        used = {
            g: round(v - previous.get(g, 0.0), 2)
            for g, v in totals.items()
            if v - previous.get(g, 0.0) >= 0.01
        }
        print(second, json.dumps(used), file=sys.stderr)
        previous = totals
    totals = totals_of(groups, first, last)
    totals["machine (all processes)"] = round(_machine_busy() - machine_start, 2)
    print(json.dumps({"wall_seconds": round(time.monotonic() - clock, 1), "cpu_seconds": totals}))


def totals_of(groups, first, last) -> dict[str, float]:
    totals: dict[str, float] = {}
    for pid, group in groups.items():
        totals[group] = round(totals.get(group, 0.0) + last[pid] - first[pid], 2)
    return totals


if __name__ == "__main__":
    main(sys.argv[1:])
