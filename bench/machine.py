"""A short description of the machine a benchmark ran on."""

from __future__ import annotations

import os
import platform
import subprocess


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> str:
    try:
        with open("/proc/meminfo", encoding="utf-8") as meminfo:
            kib = int(meminfo.readline().split()[1])
        return f"{kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        return "unknown memory"


def _postgres_version(database_url: str) -> str:
    try:
        import psycopg

        with psycopg.connect(database_url) as conn:
            return conn.execute("SHOW server_version").fetchone()[0].split()[0]
    except Exception:  # the description is best effort
        return "unknown"


def describe(database_url: str) -> str:
    try:
        redis_version = subprocess.run(
            ["redis-server", "--version"], capture_output=True, text=True, timeout=5
        ).stdout.split()[2]
    except (OSError, IndexError, subprocess.SubprocessError):
        redis_version = "unknown"
    return (
        f"{os.cpu_count()} cores ({_cpu_model()}), {_memory_gib()} RAM, {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, PostgreSQL {_postgres_version(database_url)}, Redis {redis_version}"
    )


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"
