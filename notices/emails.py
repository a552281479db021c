"""Notice emails: HTML and plain text from templates, with one-click unsubscribe."""

from __future__ import annotations

import smtplib
import socket
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from .outcome import Outcome
from .payloads import event_data, status_label
from .unsubscribe import unsubscribe_url

if TYPE_CHECKING:
    from .models import Delivery, WebhookEndpoint


def message_id(delivery: Delivery) -> str:
    # Stable across retries, so a mail system can drop a duplicate of an at-least-once send.
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "localhost"
    return f"<notice-{delivery.uuid}@{domain}>"


def build_notice_email(delivery: Delivery) -> EmailMultiAlternatives:
    event = delivery.event
    data = event_data(event)
    context = {
        "user": delivery.user,
        "event": event,
        "data": data,
        "from_label": status_label(event.from_status),
        "to_label": status_label(event.to_status),
        "subscription": delivery.subscription,
        "unsubscribe_url": unsubscribe_url(delivery.subscription) if delivery.subscription else "",
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("notices/email/notice_subject.txt", context).split())
    headers = {"Message-ID": message_id(delivery), "X-Delivery-Id": str(delivery.uuid)}
    if context["unsubscribe_url"]:
        headers["List-Unsubscribe"] = f"<{context['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notices/email/notice.txt", context),
        to=[delivery.user.email],
        headers=headers,
    )
    message.attach_alternative(render_to_string("notices/email/notice.html", context), "text/html")
    return message


def send_notice_email(delivery: Delivery, connection=None):
    """Send one notice; `connection`, if given, is an open SMTP connection to reuse."""
    try:
        message = build_notice_email(delivery)
        message.connection = connection
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        return Outcome(ok=False, error=f"Recipient refused: {exc.recipients}"[:500], retryable=False)
    except (smtplib.SMTPException, OSError, socket.timeout) as exc:
        return Outcome(ok=False, error=f"{type(exc).__name__}: {exc}"[:500])
    return Outcome(ok=True)


def send_endpoint_disabled_email(endpoint: WebhookEndpoint) -> None:
    context = {"endpoint": endpoint, "user": endpoint.user, "site_url": settings.SITE_URL}
    message = EmailMultiAlternatives(
        subject="Your webhook endpoint was disabled",
        body=render_to_string("notices/email/endpoint_disabled.txt", context),
        to=[endpoint.user.email],
    )
    message.attach_alternative(render_to_string("notices/email/endpoint_disabled.html", context), "text/html")
    message.send(fail_silently=False)
