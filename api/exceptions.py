"""One JSON error shape for the whole API.

Every error body is::

    {"status": 400, "code": "invalid", "detail": "Human-readable summary.",
     "errors": {"field": ["message", ...], ...}}

`errors` is present only for field-level problems; "non_field_errors" collects the rest.
Django's own ValidationError (raised by services and model constraints) is turned into
the same 400 so a domain rule never surfaces as a 500.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler as drf_exception_handler


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource changed since you read it (If-Match does not match its ETag); reload and retry."
    default_code = "precondition_failed"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"


def _codes(detail) -> str:
    if isinstance(detail, dict):
        return "invalid"
    if isinstance(detail, list):
        return getattr(detail[0], "code", "invalid") if detail else "invalid"
    return getattr(detail, "code", "error")


def error_body(status_code: int, code: str, detail: str, errors: dict | None = None) -> dict:
    body = {"status": status_code, "code": code, "detail": detail}
    if errors:
        body["errors"] = errors
    return body


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {key: value if isinstance(value, list) else [value] for key, value in detail.items()}
    return {"non_field_errors": detail if isinstance(detail, list) else [detail]}


def _summary(errors: dict) -> str:
    parts = []
    for field, messages in errors.items():
        first = messages[0] if messages else ""
        if isinstance(first, dict):  # nested serializer errors
            first = "invalid"
        parts.append(str(first) if field == "non_field_errors" else f"{field}: {first}")
    return "; ".join(parts) or "Invalid input."


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, IntegrityError):
        exc = Conflict(
            "The change conflicts with existing data (a duplicate or a broken reference)."
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    # An error is JSON whatever format the request asked for (a CSV list's bad filter too).
    request = context.get("request")
    if request is not None:
        request.accepted_renderer, request.accepted_media_type = (
            JSONRenderer(),
            JSONRenderer.media_type,
        )
    if isinstance(exc, exceptions.ValidationError):
        errors = _field_errors(exc.detail)
        response.data = error_body(response.status_code, "invalid", _summary(errors), errors)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = error_body(response.status_code, _codes(detail), str(detail))
    return response


@csrf_exempt  # any method on an unknown path is a 404, not a CSRF failure page
def not_found(request, *args, **kwargs):
    """Unknown paths under /api/ get the API's 404 body, not an HTML page."""
    return JsonResponse(
        error_body(404, "not_found", f"No API resource at {request.path}."), status=404
    )
