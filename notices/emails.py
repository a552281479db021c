"""Notice emails: HTML and plain text from templates, with one-click unsubscribe."""

from __future__ import annotations

import smtplib
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from tracker.labels import event_status_label, role_phrase
from tracker.models import ReviewDeal

from .outcome import Outcome
from .payloads import event_data
from .prepared import PreparedEmail, SharedForm, StandIns, fits, put_in, reader_date
from .unsubscribe import unsubscribe_url

if TYPE_CHECKING:
    from .models import Delivery, WebhookEndpoint


def message_id(delivery: Delivery) -> str:
    # Stable across retries, so a mail system can drop a duplicate of an at-least-once send.
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<notice-{delivery.uuid}@{domain}>"


def build_notice_email(
    delivery: Delivery, shared: NoticeEmails | None = None
) -> EmailMultiAlternatives:
    return (shared or NoticeEmails()).build(delivery)


class NoticeEmails:
    """The notice emails of a batch. Followers of one event through the same kind of
    subscription get the same notice: it is rendered and put in MIME form once, and each
    email differs only in its address, message and delivery ids, date and unsubscribe link."""

    def __init__(self):
        self._shared: dict[tuple, tuple[dict[str, str], SharedForm]] = {}

    def build(self, delivery: Delivery) -> EmailMultiAlternatives:
        rendered, form = self._shared_notice(delivery)
        stand_ins = form.stand_ins
        link = unsubscribe_url(delivery.subscription) if delivery.subscription else ""
        own = {stand_ins.link: link}
        headers = {
            "Date": reader_date(),
            "Message-ID": message_id(delivery),
            "X-Delivery-Id": str(delivery.uuid),
        }
        if link:
            headers["List-Unsubscribe"] = f"<{link}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message = PreparedEmail(
            subject=rendered["subject"],
            body=put_in(rendered["text"], own),
            to=[delivery.user.email],
            headers=headers,
        )
        message.attach_alternative(put_in(rendered["html"], own), "text/html")
        if fits(delivery.user.email, [headers["Message-ID"]], link):
            replaced = {
                "To": (stand_ins.address, delivery.user.email),
                "Message-ID": (stand_ins.message_id, headers["Message-ID"]),
                "X-Delivery-Id": (stand_ins.token, headers["X-Delivery-Id"]),
                "Date": (stand_ins.date, headers["Date"]),
            }
            if link:
                replaced["List-Unsubscribe"] = (f"<{stand_ins.link}>", headers["List-Unsubscribe"])
            message.prepared = form.copy_for(replaced, link)
        return message

    def _shared_notice(self, delivery: Delivery) -> tuple[dict[str, str], SharedForm]:
        subscription = delivery.subscription
        # Everything the templates are given but the reader's own link: equal keys, equal notices.
        key = (delivery.event_id, subscription.target_label if subscription else None)
        if key not in self._shared:
            stand_ins = StandIns()
            event = delivery.event
            context = {
                "event": event,
                "data": event_data(event),
                "from_label": event_status_label(event.from_status, event.review),
                "to_label": event_status_label(event.to_status, event.review),
                "subscription": subscription,
                "role_note": role_note(event, subscription),
                "unsubscribe_url": stand_ins.link if subscription else "",
                "site_url": settings.SITE_URL,
            }
            rendered = {
                "subject": " ".join(
                    render_to_string("notices/email/notice_subject.txt", context).split()
                ),
                "text": render_to_string("notices/email/notice.txt", context),
                "html": render_to_string("notices/email/notice.html", context),
            }
            headers = {
                "Date": stand_ins.date,
                "Message-ID": stand_ins.message_id,
                "X-Delivery-Id": stand_ins.token,
            }
            if subscription:
                headers["List-Unsubscribe"] = f"<{stand_ins.link}>"
                headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            model = EmailMultiAlternatives(
                subject=rendered["subject"],
                body=rendered["text"],
                to=[stand_ins.address],
                headers=headers,
            )
            model.attach_alternative(rendered["html"], "text/html")
            self._shared[key] = (rendered, SharedForm(model, stand_ins))
        return self._shared[key]


def send_notice_email(delivery: Delivery, connection=None, shared: NoticeEmails | None = None):
    """Send one notice; `connection`, if given, is an open SMTP connection to reuse, and
    `shared` the batch's notice emails."""
    try:
        message = build_notice_email(delivery, shared)
        message.connection = connection
        message.send(fail_silently=False)
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
