"""Digest emails: HTML and plain text from templates, with one-click unsubscribe."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from notices.payloads import status_label
from tracker.links import absolute
from .builder import DigestContent
from .models import Digest
from .unsubscribe import digest_unsubscribe_url


def message_id(digest: Digest) -> str:
    # Stable for the digest, so a mail system can drop a duplicate of a resend.
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<digest-{digest.frequency}-{digest.period_start:%Y%m%d}-{digest.user_id}@{domain}>"


class Fragments:
    """Each event and deadline rendered once per batch, however many digests share it:
    most of a batch's digests are made of the same few items."""

    def __init__(self):
        self._cache: dict[tuple, dict[str, str]] = {}

    def _render(self, key: tuple, template: str, context: dict) -> dict[str, str]:
        if key not in self._cache:
            self._cache[key] = {
                "text": render_to_string(f"digests/email/{template}.txt", context).strip("\n"),
                # Rendered with autoescaping on, so safe to insert as it is.
                "html": mark_safe(render_to_string(f"digests/email/{template}.html", context)),
            }
        return self._cache[key]

    def event(self, event, since) -> dict[str, str]:
        # Recorded after the window it is dated in: say so, it may be news to the reader.
        late = event.occurred_on < since.date()
        context = {
            "event": event,
            "regulator": event.review.regulator.short_name if event.review_id else "",
            "change": f"{status_label(event.from_status)} -> {status_label(event.to_status)}" if event.to_status else "",
            "late": late,
            # The page of the event's proceeding, else of its deal.
            "link": absolute((event.review if event.review_id else event.deal).get_absolute_url()),
        }
        return self._render(("event", event.pk, late), "digest_event", context)

    def deadline(self, review) -> dict[str, str]:
        context = {"review": review, "link": absolute(review.get_absolute_url())}
        return self._render(("deadline", review.pk), "digest_deadline", context)


def build_digest_email(
    digest: Digest, content: DigestContent, connection=None, fragments: Fragments | None = None
) -> EmailMultiAlternatives:
    fragments = fragments or Fragments()
    unsubscribe_url = digest_unsubscribe_url(digest.user_id, digest.frequency)
    context = {
        "user": digest.user,
        "digest": digest,
        "frequency_label": "Daily" if digest.frequency == "daily" else "Weekly",
        "period": date_format(digest.period_start, "j F Y"),
        "events": [fragments.event(event, content.since) for event in content.events],
        "deadlines": [fragments.deadline(review) for review in content.deadlines],
        "working_days": settings.DIGEST_DEADLINE_WORKING_DAYS,
        "following": sorted({sub.target_label for sub in content.subscriptions}),
        "unsubscribe_url": unsubscribe_url,
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("digests/email/digest_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("digests/email/digest.txt", context),
        to=[digest.user.email],
        connection=connection,
        headers={
            "Message-ID": message_id(digest),
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("digests/email/digest.html", context), "text/html")
    return message
