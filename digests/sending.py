"""Planning and sending a period's digests, exactly once per user.

`plan` records one Digest row per user and period (a unique constraint makes a rerun
create nothing new) and splits the users into batches. `send_batch` claims its rows with
one conditional UPDATE (so two runs never take the same row), builds every digest of the
batch in a few queries, sends them over one connection of Django's mail backend, and marks
each row as it goes (an UPDATE of the row while the claim is still ours), so a worker
killed mid-batch leaves only the digest in flight to be sent again. No database lock is
held while talking to the mail server.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import get_connection
from django.db.models import Q
from django.utils import timezone

from database.writes import writes_without_waiting_for_flush
from notices.models import Subscription
from tracker.data_version import KeptWhileUnchanged

from .builder import build_contents
from .emails import DigestEmails
from .models import Digest, DigestState
from .periods import period_start

logger = logging.getLogger(__name__)


@dataclass
class Plan:
    frequency: str
    period: datetime.date
    batches: list[list[int]]

    @property
    def user_count(self) -> int:
        return sum(len(batch) for batch in self.batches)


def recipients(frequency: str):
    """Active users with an email address and at least one email subscription at `frequency`."""
    return (
        Subscription.objects.filter(frequency=frequency, by_email=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("user_id", flat=True)
        .distinct()
        .order_by("user_id")
    )


# The renderings of the period's digests, kept by each worker process across its batches
# (readers who follow the same things get the same digest, whichever batch they are in)
# while the data is unchanged.
DIGEST_EMAILS = KeptWhileUnchanged(DigestEmails)


def claimable(now):
    return Q(state=DigestState.PENDING) | Q(state=DigestState.SENDING, claimed_until__lt=now)


def plan(frequency: str, now: datetime.datetime | None = None, record: bool = True) -> Plan:
    """The users still owed this period's digest, in batches. With `record`, the period's
    rows are created first (existing ones, from an earlier run, are left as they are)."""
    now = now or timezone.now()
    period = period_start(frequency, timezone.localdate(now))
    if record:
        return Plan(frequency, period, list(recorded_batches(frequency, now)))
    done = set(
        Digest.objects.filter(frequency=frequency, period_start=period)
        .exclude(claimable(now))
        .values_list("user_id", flat=True)
    )
    user_ids = [uid for uid in recipients(frequency) if uid not in done]
    size = settings.DIGEST_BATCH_SIZE
    return Plan(frequency, period, [user_ids[i : i + size] for i in range(0, len(user_ids), size)])


def recorded_batches(frequency: str, now: datetime.datetime):
    """The users owed this period's digest, in batches, each handed back as soon as its
    rows are recorded, so workers start on the first while the rest are recorded (recording
    10,000 rows at once kept every worker waiting about half a second). Last come the rows
    an earlier run of the period left owed to users who no longer get digests by email."""
    period = period_start(frequency, timezone.localdate(now))
    owed = Digest.objects.filter(claimable(now), frequency=frequency, period_start=period)
    user_ids = list(recipients(frequency))
    size = settings.DIGEST_BATCH_SIZE
    for start in range(0, len(user_ids), size):
        chunk = user_ids[start : start + size]
        Digest.objects.bulk_create(
            [
                Digest(user_id=uid, frequency=frequency, period_start=period, covered_until=now)
                for uid in chunk
            ],
            ignore_conflicts=True,
        )
        batch = list(
            owed.filter(user_id__in=chunk).order_by("user_id").values_list("user_id", flat=True)
        )
        if batch:
            yield batch
    rest = list(
        owed.exclude(user_id__in=recipients(frequency))
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )
    for start in range(0, len(rest), size):
        yield rest[start : start + size]


def claim(frequency: str, period: datetime.date, user_ids: list[int]) -> list[Digest]:
    now = timezone.now()
    token = secrets.token_hex(16)
    Digest.objects.filter(
        claimable(now), frequency=frequency, period_start=period, user_id__in=user_ids
    ).update(
        state=DigestState.SENDING,
        claim_token=token,
        claimed_until=now + datetime.timedelta(seconds=settings.DIGEST_CLAIM_LEASE_SECONDS),
    )
    return list(
        Digest.objects.filter(claim_token=token, state=DigestState.SENDING).select_related("user")
    )


def mark(digest: Digest, state: str, **fields) -> None:
    # Only while the claim is ours: a run whose lease ran out must not overwrite its successor.
    Digest.objects.filter(
        pk=digest.pk, claim_token=digest.claim_token, state=DigestState.SENDING
    ).update(state=state, claimed_until=None, **fields)


def release(digests: list[Digest]) -> None:
    Digest.objects.filter(
        pk__in=[d.pk for d in digests],
        claim_token=digests[0].claim_token,
        state=DigestState.SENDING,
    ).update(state=DigestState.PENDING, claim_token="", claimed_until=None)


def send_batch(frequency: str, period: datetime.date, user_ids: list[int]) -> dict[str, int]:
    """Send this batch's digests; returns counts by outcome."""
    emails = DIGEST_EMAILS.get()  # the version before the data it renders is read
    digests = claim(frequency, period, user_ids)
    counts = {"sent": 0, "empty": 0, "failed": 0}
    if not digests:
        return counts
    contents = build_contents(digests, frequency, timezone.localdate())
    empty = [d for d in digests if contents[d.user_id].is_empty]
    Digest.objects.filter(pk__in=[d.pk for d in empty], claim_token=digests[0].claim_token).update(
        state=DigestState.EMPTY, claimed_until=None
    )
    counts["empty"] = len(empty)
    to_send = [d for d in digests if not contents[d.user_id].is_empty]
    if not to_send:
        return counts
    connection = get_connection(fail_silently=False)
    # One mark per email, each its own commit: not waiting for the WAL flush triples the rate.
    with writes_without_waiting_for_flush():
        try:
            send_all(to_send, contents, connection, emails, counts)
        finally:
            connection.close()
    return counts


def send_all(
    to_send: list[Digest], contents, connection, emails: DigestEmails, counts: dict[str, int]
) -> None:
    """Send over one SMTP connection, marking each digest as soon as the server took it."""
    for index, digest in enumerate(to_send):
        content = contents[digest.user_id]
        try:
            connection.open()  # no-op while the connection is up; reconnects after a drop
        except (smtplib.SMTPException, OSError):
            # The mail server is unreachable: give the rest back for a retry rather
            # than fail them all for the period.
            release(to_send[index:])
            raise
        try:
            emails.build(digest, content, connection=connection).send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("Digest %s to user %s failed: %s", digest.pk, digest.user_id, exc)
            mark(digest, DigestState.FAILED, error=f"{type(exc).__name__}: {exc}"[:500])
            counts["failed"] += 1
            if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                connection.close()
            continue
        mark(
            digest,
            DigestState.SENT,
            sent_at=timezone.now(),
            event_count=len(content.events) + len(content.beside),
            deadline_count=len(content.deadlines),
        )
        counts["sent"] += 1


def preview(frequency: str, now: datetime.datetime | None = None):
    """(user, content) of every digest a run now would send, recording nothing."""
    now = now or timezone.now()
    the_plan = plan(frequency, now, record=False)
    for batch in the_plan.batches:
        digests = [
            Digest(
                user_id=uid, frequency=frequency, period_start=the_plan.period, covered_until=now
            )
            for uid in batch
        ]
        users = get_user_model().objects.in_bulk(batch)
        for user_id, content in build_contents(digests, frequency, timezone.localdate(now)).items():
            if not content.is_empty:
                yield users[user_id], content
