"""Celery and what beat runs on a schedule."""

import os

from .digests import DIGESTS_DAILY_SCHEDULE, DIGESTS_WEEKLY_SCHEDULE
from .django import TIME_ZONE
from .environment import beat_schedule
from .notices import NOTICES_REQUEUE_INTERVAL_SECONDS

# Celery: with no broker configured, tasks run eagerly in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = CELERY_BROKER_URL or "memory://"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
# Publishing must not hang a request when the broker is down: the delivery rows are
# already committed and the periodic re-enqueue sends them once it is back.
CELERY_BROKER_CONNECTION_TIMEOUT = float(os.environ.get("CELERY_BROKER_CONNECTION_TIMEOUT", "2"))
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

CELERY_BEAT_SCHEDULE: dict = {
    "notices-requeue-due": {
        "task": "notices.requeue_due",
        "schedule": NOTICES_REQUEUE_INTERVAL_SECONDS,
    },
    "digests-daily": {
        "task": "digests.run",
        "schedule": beat_schedule(DIGESTS_DAILY_SCHEDULE),
        "args": ["daily"],
    },
    "digests-weekly": {
        "task": "digests.run",
        "schedule": beat_schedule(DIGESTS_WEEKLY_SCHEDULE),
        "args": ["weekly"],
    },
}
