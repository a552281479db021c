from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notices.views import unsubscribe_page

from .unsubscribe import DIGEST_LINK, stop_digest_emails


@csrf_exempt  # the signed token is the credential; mail clients POST without a CSRF token (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    return unsubscribe_page(request, token, DIGEST_LINK, stop_digest_emails)
