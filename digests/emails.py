"""Digest emails: HTML and plain text from templates, with one-click unsubscribe.

Each reader's email is a plain `EmailMultiAlternatives`, sent through Django's mail
backend. Most of a batch's digests are made of the same few items, and readers who follow
the same things get the same digest but for their unsubscribe link: a batch renders each
item once and each distinct digest once, and puts each reader's link into a copy of the
text."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from notices.emails import LINK
from tracker.labels import event_status_label, role_phrase
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
                "html": mark_safe(render_to_string(f"digests/email/{template}.html", context)),  # noqa: S308 autoescaped
            }
        return self._cache[key]

    @staticmethod
    def event_key(event, since, note: str = "") -> tuple:
        # Recorded after the window it is dated in: say so, it may be news to the reader.
        return ("event", event.pk, event.occurred_on < since.date(), note)

    @staticmethod
    def deadline_key(review) -> tuple:
        return ("deadline", review.pk)

    def event(self, event, since, note: str = "") -> dict[str, str]:
        """`note`: what the event's proceeding is to the deal followed, where it does not
        review it ("reaches Alphabet (Google) / Anthropic")."""
        key = self.event_key(event, since, note)
        late = key[2]
        if key in self._cache:
            return self._cache[key]
        context = {
            "event": event,
            "regulator": event.review.regulator.short_name if event.review_id else "",
            "change": f"{event_status_label(event.from_status, event.review)} -> "
            f"{event_status_label(event.to_status, event.review)}"
            if event.to_status
            else "",
            "late": late,
            "note": note,
            # The page of the event's proceeding, else of its deal.
            "link": absolute((event.review if event.review_id else event.deal).get_absolute_url()),
        }
        return self._render(key, "digest_event", context)

    def deadline(self, review) -> dict[str, str]:
        key = self.deadline_key(review)
        if key in self._cache:
            return self._cache[key]
        return self._render(
            key, "digest_deadline", {"review": review, "link": absolute(review.get_absolute_url())}
        )


class DigestEmails:
    """The digest emails of a batch, each distinct digest rendered once."""

    def __init__(self):
        self.fragments = Fragments()
        self._rendered: dict[tuple, dict[str, str]] = {}

    def build(
        self, digest: Digest, content: DigestContent, connection=None
    ) -> EmailMultiAlternatives:
        rendered = self.rendered(digest, content)
        link = digest_unsubscribe_url(digest.user_id, digest.frequency)
        message = EmailMultiAlternatives(
            subject=rendered["subject"],
            # As the templates write it: as it is in the text, escaped in the HTML.
            body=rendered["text"].replace(LINK, link),
            to=[digest.user.email],
            connection=connection,
            headers={
                "Message-ID": message_id(digest),
                "List-Unsubscribe": f"<{link}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(rendered["html"].replace(LINK, escape(link)), "text/html")
        return message

    def rendered(self, digest: Digest, content: DigestContent) -> dict[str, str]:
        """The subject, text and HTML of a digest, with `LINK` for its unsubscribe link."""
        following = sorted({sub.target_label for sub in content.subscriptions})
        # Everything the templates are given but the unsubscribe link: equal keys, equal
        # digests. A line's key stands for its rendering (`Fragments` renders each key once).
        key = (
            digest.frequency,
            digest.period_start,
            tuple(Fragments.event_key(event, content.since) for event in content.events),
            tuple(
                Fragments.event_key(event, content.since, role_phrase(role, deal.title))
                for event, role, deal in content.beside
            ),
            tuple(Fragments.deadline_key(review) for review in content.deadlines),
            tuple(following),
        )
        if key not in self._rendered:
            context = {
                "frequency_label": "Daily" if digest.frequency == "daily" else "Weekly",
                "period": date_format(digest.period_start, "j F Y"),
                "events": [self.fragments.event(event, content.since) for event in content.events],
                "beside": [
                    self.fragments.event(event, content.since, role_phrase(role, deal.title))
                    for event, role, deal in content.beside
                ],
                "deadlines": [self.fragments.deadline(review) for review in content.deadlines],
                "working_days": settings.DIGEST_DEADLINE_WORKING_DAYS,
                "following": following,
                "unsubscribe_url": LINK,
                "site_url": settings.SITE_URL,
            }
            self._rendered[key] = {
                "subject": " ".join(
                    render_to_string("digests/email/digest_subject.txt", context).split()
                ),
                "text": render_to_string("digests/email/digest.txt", context),
                "html": render_to_string("digests/email/digest.html", context),
            }
        return self._rendered[key]
