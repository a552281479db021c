"""Notice emails: HTML and plain text from templates, with one-click unsubscribe.

Each reader's email is a plain `EmailMultiAlternatives`, sent through Django's mail
backend. Followers of one event through the same kind of subscription get the same
notice but for their unsubscribe link, so a batch renders each notice's templates once
and puts each reader's link into a copy of the text."""

from __future__ import annotations

import datetime
import secrets
import smtplib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils.html import escape

from tracker.labels import event_status_label, role_phrase
from tracker.models import ReviewDeal

from .outcome import Outcome
from .payloads import event_data
from .unsubscribe import unsubscribe_url

if TYPE_CHECKING:
    from .models import Delivery, WebhookEndpoint

# Rendered where the reader's unsubscribe link goes, and replaced by it: nothing else in a
# notice can look like it, and HTML escaping leaves it as it is.
LINK = f"https://unsubscribe-link-{secrets.token_hex(8)}.invalid/"


def message_id(delivery: Delivery) -> str:
    # Stable across retries, so a mail system can drop a duplicate of an at-least-once send.
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<notice-{delivery.uuid}@{domain}>"


def build_notice_email(
    delivery: Delivery, shared: NoticeEmails | None = None, connection=None
) -> EmailMultiAlternatives:
    return (shared or NoticeEmails()).build(delivery, connection)


class NoticeEmails:
    """The notice emails of a batch, each notice's templates rendered once."""

    def __init__(self):
        self._rendered: dict[tuple, dict[str, str]] = {}

    def build(self, delivery: Delivery, connection=None) -> EmailMultiAlternatives:
        rendered = self.rendered(delivery)
        link = unsubscribe_url(delivery.subscription) if delivery.subscription else ""
        headers = {"Message-ID": message_id(delivery), "X-Delivery-Id": str(delivery.uuid)}
        if link:
            headers["List-Unsubscribe"] = f"<{link}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = EmailMultiAlternatives(
            subject=rendered["subject"],
            # As the templates write it: as it is in the text, escaped in the HTML.
            body=rendered["text"].replace(LINK, link),
            to=[delivery.user.email],
            headers=headers,
            connection=connection,
        )
        message.attach_alternative(rendered["html"].replace(LINK, escape(link)), "text/html")
        return message

    def rendered(self, delivery: Delivery) -> dict[str, str]:
        """The subject, text and HTML of a delivery's notice, with `LINK` for its link."""
        subscription = delivery.subscription
        # Everything the templates are given but the reader's own link: equal keys, equal notices.
        key = (delivery.event_id, subscription.target_label if subscription else None)
        if key not in self._rendered:
            event = delivery.event
            data = event_data(event)
            review = data.get("review") or {}
            context = {
                "event": event,
                "data": data,
                # One date format in every email: the payload carries ISO dates.
                "next_deadline": datetime.date.fromisoformat(review["next_deadline"])
                if review.get("next_deadline")
                else None,
                "from_label": event_status_label(event.from_status, event.review),
                "to_label": event_status_label(event.to_status, event.review),
                "subscription": subscription,
                "role_note": role_note(event, subscription),
                "unsubscribe_url": LINK if subscription else "",
                "site_url": settings.SITE_URL,
            }
            self._rendered[key] = {
                "subject": " ".join(
                    render_to_string("notices/email/notice_subject.txt", context).split()
                ),
                "text": render_to_string("notices/email/notice.txt", context),
                "html": render_to_string("notices/email/notice.html", context),
            }
        return self._rendered[key]


def send_notice_email(delivery: Delivery, connection=None, shared: NoticeEmails | None = None):
    """Send one notice; `connection`, if given, is an open mail backend connection to
    reuse, and `shared` the batch's notice emails."""
    try:
        build_notice_email(delivery, shared, connection).send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        return Outcome(
            ok=False, error=f"Recipient refused: {exc.recipients}"[:500], retryable=False
        )
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(ok=True)


def send_endpoint_disabled_email(endpoint: WebhookEndpoint) -> None:
    context = {"endpoint": endpoint, "user": endpoint.user, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject="Your webhook endpoint was disabled",
        body=render_to_string("notices/email/endpoint_disabled.txt", context),
        to=[endpoint.user.email],
    )
    message.attach_alternative(
        render_to_string("notices/email/endpoint_disabled.html", context), "text/html"
    )
    message.send(fail_silently=False)


def role_note(event, subscription) -> str:
    """What the event's proceeding is to the deal the subscription follows, where it does
    not review it: "a proceeding that covers a deal you follow"; else ""."""
    if subscription is None or not subscription.deal_id or not event.review_id:
        return ""
    role = (
        ReviewDeal.objects.filter(review_id=event.review_id, deal_id=subscription.deal_id)
        .values_list("role", flat=True)
        .first()
    )
    phrase = role_phrase(role or "", "a deal you follow")  # "" for a review
    return f"a proceeding that {phrase}" if phrase else ""
