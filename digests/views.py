from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .unsubscribe import read_token, stop_digest_emails


@csrf_exempt  # the signed token is the credential; mail clients POST without a CSRF token (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (link scanners must not unsubscribe anyone); POST unsubscribes."""
    data = read_token(token)
    if data is None:
        return render(request, "notices/unsubscribe.html", {"state": "invalid"}, status=400)
    if request.method == "GET":
        return render(request, "notices/unsubscribe.html", {"state": "confirm"})
    stop_digest_emails(data)
    return render(request, "notices/unsubscribe.html", {"state": "done"})
