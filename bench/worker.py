"""A real Celery worker process for the benchmark stages."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class CeleryWorker:
    def __init__(self, env: dict[str, str], concurrency: int, beat: bool = False):
        self.env = env
        self.concurrency = concurrency
        self.beat = beat
        self.log = Path(tempfile.mkstemp(prefix="bench-worker-", suffix=".log")[1])
        self.process: subprocess.Popen | None = None
        # CPU seconds of the worker and its pool processes, known once it has exited.
        self.cpu_seconds: float | None = None

    def __enter__(self) -> CeleryWorker:
        self._children_cpu = _children_cpu()
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--concurrency",
            str(self.concurrency),
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--hostname",
            f"bench-{os.getpid()}@%h",
        ]
        if self.beat:
            args += ["--beat", "--schedule", str(self.log.with_suffix(".beat"))]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                args,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while b"ready." not in self.log.read_bytes():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"worker did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.1)
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        # An exited child's CPU time (with that of the children it reaped) is added to ours.
        self.cpu_seconds = _children_cpu() - self._children_cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
