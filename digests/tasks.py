"""Celery tasks: beat starts a period's run, which fans out batches of users to workers."""

from __future__ import annotations

import datetime
import logging
import smtplib

from celery import shared_task

from .sending import plan, send_batch

logger = logging.getLogger(__name__)


@shared_task(name="digests.run", ignore_result=True)
def run_digests(frequency: str) -> int:
    """Record this period's digests and hand the users to workers in batches."""
    the_plan = plan(frequency)
    for batch in the_plan.batches:
        send_digest_batch.delay(frequency, the_plan.period.isoformat(), batch)
    logger.info("%s digests of %s: %d users in %d batches", frequency, the_plan.period, the_plan.user_count,
                len(the_plan.batches))
    return the_plan.user_count


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
