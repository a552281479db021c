"""Start and stop the processes a benchmark measures: gunicorn for the API and the baseline."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 the local server's http URL
                if response.status < 500:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f}s")


@contextlib.contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int, probe_path: str):
    with gunicorn_process(app, env, workers, probe_path) as (port, _process):
        yield port


def worker_pids(master: subprocess.Popen) -> list[int]:
    with open(f"/proc/{master.pid}/task/{master.pid}/children") as children:
        return [int(pid) for pid in children.read().split()]


@contextlib.contextmanager
def gunicorn_process(app: str, env: dict[str, str], workers: int, probe_path: str):
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--keep-alive",
            "5",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )
    try:
        wait_for_http(f"http://127.0.0.1:{port}{probe_path}")
        yield port, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
