"""Real services for the integration tests: PostgreSQL, Redis, a Celery worker process
(with beat embedded), an SMTP server and an HTTP receiver, all on loopback.

The worker is a separate process, so it must see committed rows: these tests use
pytest-django's transactional database, and the worker is pointed at that test
database (its name is only known once pytest-django has created it).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings

from tests.conftest import on_postgres, require_or_skip
from tests.receivers import SMTPSink, WebhookReceiver, free_port

ROOT = Path(__file__).resolve().parents[2]


def worker_broker_url(url: str, worker: str) -> str:
    """The Redis database of one pytest-xdist worker: the configured number plus the worker's
    (gw0 keeps it, gw1 the next), so parallel workers never flush or read each other's queues."""
    base, _, db = url.rpartition("/")
    index = int(worker[2:]) if worker.startswith("gw") else 0
    return f"{base}/{int(db or 0) + index}"


BROKER_URL = worker_broker_url(
    os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/3"),
    os.environ.get("PYTEST_XDIST_WORKER", ""),
)


def unreachable_services() -> list[str]:
    missing = []
    if not on_postgres():
        missing.append("PostgreSQL (set DATABASE_URL=postgres://...)")
    try:
        import redis

        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=2).ping()
    except Exception as exc:  # any failure means "not reachable"
        missing.append(f"Redis at {BROKER_URL} ({exc.__class__.__name__})")
    return missing


def pytest_collection_modifyitems(config, items):
    if any(
        "integration" in item.keywords for item in items
    ):  # no Redis probe when none is collected
        require_or_skip(items, "integration", unreachable_services(), "the integration services")


def point_celery_at(broker_url: str) -> None:
    """Make this (test) process publish to `broker_url` instead of running tasks eagerly."""
    from config.celery import app

    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    # Drop the cached pools; kombu keeps one per broker URL, so they are not closed here.
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def broker(transactional_db):
    import redis

    client = redis.Redis.from_url(BROKER_URL)
    client.flushdb()
    point_celery_at(BROKER_URL)
    yield BROKER_URL
    from config.celery import app

    point_celery_at(settings.CELERY_BROKER_URL)
    app.conf.task_always_eager = settings.CELERY_TASK_ALWAYS_EAGER
    client.flushdb()


@pytest.fixture(scope="session")
def smtp_server():
    sink = SMTPSink()
    yield sink
    sink.stop()


@pytest.fixture
def smtp(smtp_server):
    smtp_server.clear()
    return smtp_server


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def loopback_webhooks(settings):
    settings.WEBHOOK_ALLOW_HTTP = True
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


def database_url() -> str:
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


WORKER_CONCURRENCY = 4


class Worker:
    """`celery -A config worker -B` as a child process in its own process group."""

    def __init__(self, env: dict[str, str], log_path: Path):
        self.env = env
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> Worker:
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--beat",
                "--schedule",
                str(self.log_path.with_suffix(".beat")),
                "--concurrency",
                str(WORKER_CONCURRENCY),
                "--pool",
                "prefork",
                "--loglevel",
                "INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--hostname",
                f"notices-test-{os.getpid()}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The Celery worker exited at start:\n{self.log()}")
            with self.log_path.open("rb") as f:
                f.seek(offset)
                if b"ready." in f.read():
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"The Celery worker did not become ready in {timeout} s:\n{self.log()}")

    def kill(self) -> None:
        """SIGKILL the whole process group: the main process, its pool children and beat."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-5000:] if self.log_path.exists() else ""

    def runs_of(self, task: str) -> int:
        """How many runs of `task` the worker has logged as finished, over all its starts."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return len(re.findall(rf"Task {re.escape(task)}\[[^\]]+\] succeeded", text))


@pytest.fixture
def worker_factory(broker, smtp, tmp_path):
    """Builds (unstarted) workers sharing this test's database, broker and SMTP server."""
    workers: list[Worker] = []

    def make(**overrides: str) -> Worker:
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": broker,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
            "WEBHOOK_ALLOW_HTTP": "true",
            "WEBHOOK_ALLOW_PRIVATE_ADDRESSES": "true",
            # Seconds, not hours: retries, leases and the re-enqueue run quickly under test.
            "NOTICES_RETRY_BASE_SECONDS": "0.5",
            "NOTICES_RETRY_FACTOR": "1.5",
            "NOTICES_CLAIM_LEASE_SECONDS": "3",
            "NOTICES_REQUEUE_INTERVAL_SECONDS": "1",
            "NOTICES_REQUEUE_GRACE_SECONDS": "2",
            "PYTHONUNBUFFERED": "1",
            **overrides,
        }
        worker = Worker(env, tmp_path / f"worker{len(workers)}.log")
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        worker.stop()


@pytest.fixture
def worker(worker_factory):
    return worker_factory().start()


@contextmanager
def broker_down():
    """Publish to a loopback port where nothing listens, as if the broker were down."""
    point_celery_at(f"redis://127.0.0.1:{free_port()}/3")
    try:
        yield
    finally:
        point_celery_at(BROKER_URL)
