from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .unsubscribe import NOTICE_LINK, SignedLink, stop_email

PAGE = "notices/unsubscribe.html"


def unsubscribe_page(
    request: HttpRequest, token: str, link: SignedLink, stop: Callable[[dict], object]
) -> HttpResponse:
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST, from the
    page or from a mail client's one-click button, unsubscribes. A link of ours past its
    lifetime offers a fresh one, sent to the account's own address (never to the asker)."""
    data = link.read(token)
    if data is None:
        expired = link.read_expired(token)
        if expired is None:
            return render(request, PAGE, {"state": "invalid"}, status=400)
        if request.method == "GET":
            return render(request, PAGE, {"state": "expired"}, status=410)
        _send_fresh_link(expired, link)
        return render(request, PAGE, {"state": "sent"}, status=410)
    if request.method == "GET":
        return render(request, PAGE, {"state": "confirm"})
    stop(data)
    return render(request, PAGE, {"state": "done"})


def _send_fresh_link(data: dict, link: SignedLink) -> None:
    user = get_user_model().objects.filter(pk=data.get("u")).first()
    if user is None or not user.email:
        return  # the account is gone: nothing to stop, nobody to write to
    context = {"url": link.url(data)}
    send_mail(
        subject="Your link to stop these emails",
        message=render_to_string("notices/email/fresh_unsubscribe_link.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


@csrf_exempt  # the signed token is the credential; mail clients POST without a CSRF token (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return unsubscribe_page(request, token, NOTICE_LINK, stop_email)
