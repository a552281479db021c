"""Digest emails: HTML and plain text from templates, with one-click unsubscribe."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.safestring import mark_safe

from notices.prepared import PreparedEmail, SharedForm, StandIns, fits, put_in, reader_date
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
    """The digest emails of a batch. Readers who follow the same things get the same
    digest: it is rendered and put in MIME form once, and each reader's email differs
    only in their own address, message id, date and unsubscribe link."""

    def __init__(self):
        self.fragments = Fragments()
        self._shared: dict[tuple, tuple[dict[str, str], SharedForm]] = {}

    def build(
        self, digest: Digest, content: DigestContent, connection=None
    ) -> EmailMultiAlternatives:
        rendered, form = self._shared_digest(digest, content)
        stand_ins = form.stand_ins
        unsubscribe_url = digest_unsubscribe_url(digest.user_id, digest.frequency)
        own = {stand_ins.link: unsubscribe_url}
        headers = {
            "Date": reader_date(),
            "Message-ID": message_id(digest),
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        message = PreparedEmail(
            subject=rendered["subject"],
            body=put_in(rendered["text"], own),
            to=[digest.user.email],
            connection=connection,
            headers=headers,
        )
        message.attach_alternative(put_in(rendered["html"], own), "text/html")
        if fits(digest.user.email, [headers["Message-ID"]], unsubscribe_url):
            message.prepared = form.copy_for(
                {
                    "To": (stand_ins.address, digest.user.email),
                    "Message-ID": (stand_ins.message_id, headers["Message-ID"]),
                    "Date": (stand_ins.date, headers["Date"]),
                    "List-Unsubscribe": (f"<{stand_ins.link}>", headers["List-Unsubscribe"]),
                },
                unsubscribe_url,
            )
        return message

    def _shared_digest(
        self, digest: Digest, content: DigestContent
    ) -> tuple[dict[str, str], SharedForm]:
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
        if key not in self._shared:
            events = [self.fragments.event(event, content.since) for event in content.events]
            beside = [
                self.fragments.event(event, content.since, role_phrase(role, deal.title))
                for event, role, deal in content.beside
            ]
            deadlines = [self.fragments.deadline(review) for review in content.deadlines]
            stand_ins = StandIns()
            context = {
                "frequency_label": "Daily" if digest.frequency == "daily" else "Weekly",
                "period": date_format(digest.period_start, "j F Y"),
                "events": events,
                "beside": beside,
                "deadlines": deadlines,
                "working_days": settings.DIGEST_DEADLINE_WORKING_DAYS,
                "following": following,
                "unsubscribe_url": stand_ins.link,
                "site_url": settings.SITE_URL,
            }
            rendered = {
                "subject": " ".join(
                    render_to_string("digests/email/digest_subject.txt", context).split()
                ),
                "text": render_to_string("digests/email/digest.txt", context),
                "html": render_to_string("digests/email/digest.html", context),
            }
            model = EmailMultiAlternatives(
                subject=rendered["subject"],
                body=rendered["text"],
                to=[stand_ins.address],
                headers={
                    "Date": stand_ins.date,
                    "Message-ID": stand_ins.message_id,
                    "List-Unsubscribe": f"<{stand_ins.link}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
            model.attach_alternative(rendered["html"], "text/html")
            self._shared[key] = (rendered, SharedForm(model, stand_ins))
        return self._shared[key]
