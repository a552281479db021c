"""Celery tasks: beat starts a period's run, which fans out batches of users to workers."""

from __future__ import annotations

import datetime
import logging
import smtplib

from celery import shared_task
from django.utils import timezone

from .periods import period_start
from .sending import recorded_batches, send_batch

logger = logging.getLogger(__name__)


@shared_task(name="digests.run", ignore_result=True)
def run_digests(frequency: str) -> int:
    """Record this period's digests and hand the users to workers in batches, each as soon
    as its rows are recorded."""
    now = timezone.now()
    period = period_start(frequency, timezone.localdate(now))
    users = batches = 0
    for batch in recorded_batches(frequency, now):
        send_digest_batch.delay(frequency, period.isoformat(), batch)
        users, batches = users + len(batch), batches + 1
    logger.info("%s digests of %s: %d users in %d batches", frequency, period, users, batches)
    return users


@shared_task(
    name="digests.send_batch",
    acks_late=True,
    reject_on_worker_lost=True,
    ignore_result=True,
    # The mail server unreachable: the batch's unsent rows were released; try again later.
    autoretry_for=(OSError, smtplib.SMTPException),
    retry_backoff=60,
    max_retries=6,
)
def send_digest_batch(frequency: str, period: str, user_ids: list[int]) -> dict[str, int]:
    return send_batch(frequency, datetime.date.fromisoformat(period), user_ids)
