"""Request guards that answer before any view runs, and the API's error shape for
answers Django gives before DRF sees a request.

`RefuseUnstorableInputMiddleware` checks every request once: a path, header, query
parameter or body value with a character PostgreSQL text cannot hold (NUL, an unpaired
surrogate) is refused, a body over the upload limit is a 413 and a JSON body nested
deeper than any resource is a 400. `APIErrorShapeMiddleware` rewrites any other error
page Django renders for an /api/ path (a 400 for a bad Host, a 404, a 500) into the
API's JSON error body.
"""

from __future__ import annotations

import json

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict

from .exceptions import error_body
from .validators import UNSTORABLE_TEXT_MESSAGE, has_unstorable_character

API_PREFIX = "/api/"
# No resource nests deeper than a few levels; this keeps parsing and rendering of a
# body far from the interpreter's recursion limit.
MAX_JSON_DEPTH = 32
JSON_CONTENT_TYPES = ("application/json",)
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

ERROR_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "request_too_large",
    415: "unsupported_media_type",
    429: "throttled",
    500: "server_error",
    503: "service_unavailable",
}


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


class RefusedInput(Exception):
    def __init__(self, status: int, code: str, detail: str, errors: dict | None = None):
        super().__init__(detail)
        self.status, self.code, self.detail, self.errors = status, code, detail, errors


def refused_response(request: HttpRequest, refusal: RefusedInput) -> HttpResponse:
    if is_api_request(request):
        body = error_body(refusal.status, refusal.code, refusal.detail, refusal.errors)
        return JsonResponse(body, status=refusal.status)
    return HttpResponse(
        refusal.detail, status=refusal.status, content_type="text/plain; charset=utf-8"
    )


def unstorable_field(value, path: str) -> str | None:
    """The dotted path of the first key or string in `value` that cannot be stored;
    walks iteratively, with `path` naming `value` itself."""
    pending = [(value, path)]
    while pending:
        item, where = pending.pop()
        if isinstance(item, str):
            if has_unstorable_character(item):
                return where
        elif isinstance(item, dict):
            for key, child in item.items():
                child_path = f"{where}.{key}" if where else key
                if has_unstorable_character(key):
                    return child_path
                pending.append((child, child_path))
        elif isinstance(item, list):
            pending.extend((child, f"{where}[{index}]") for index, child in enumerate(item))
    return None


def json_depth(value) -> int:
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        deepest = max(deepest, depth)
        if isinstance(item, dict):
            pending.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            pending.extend((child, depth + 1) for child in item)
    return deepest


def field_of(path: str) -> str:
    """The top-level field a nested path belongs to: "parties[0].role" -> "parties"."""
    return path.split(".", 1)[0].split("[", 1)[0] or "non_field_errors"


def unstorable_refusal(path: str) -> RefusedInput:
    field = field_of(path)
    message = UNSTORABLE_TEXT_MESSAGE if path == field else f"{path}: {UNSTORABLE_TEXT_MESSAGE}"
    return RefusedInput(400, "invalid", f"{field}: {message}", {field: [message]})


def check_query(request: HttpRequest) -> None:
    for name, values in request.GET.lists():
        if has_unstorable_character(name) or any(
            has_unstorable_character(value) for value in values
        ):
            field = name if not has_unstorable_character(name) else "non_field_errors"
            message = UNSTORABLE_TEXT_MESSAGE
            raise RefusedInput(400, "invalid", f"{field}: {message}", {field: [message]})


def check_headers(request: HttpRequest) -> None:
    """A header (a token, say) may be looked up in the database too."""
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and has_unstorable_character(value):
            header = key.removeprefix("HTTP_").replace("_", "-").title()
            raise RefusedInput(400, "bad_request", f"Header {header}: {UNSTORABLE_TEXT_MESSAGE}")


TOO_DEEP = f"JSON parse error - nested deeper than {MAX_JSON_DEPTH} levels."


def check_json_body(body: bytes) -> None:
    try:
        data = json.loads(body)
    except RecursionError:
        raise RefusedInput(400, "parse_error", TOO_DEEP) from None
    except ValueError:
        return  # malformed: the parser of the view answers with its own message
    if json_depth(data) > MAX_JSON_DEPTH:
        raise RefusedInput(400, "parse_error", TOO_DEEP)
    path = unstorable_field(data, "")
    if path is not None:
        raise unstorable_refusal(path)


def form_fields(request: HttpRequest, body: bytes) -> QueryDict:
    """The form's fields, whatever the method: Django parses `request.POST` for POST
    only, while the API's form parser reads PUT and PATCH bodies too."""
    if request.content_type == "application/x-www-form-urlencoded":
        return QueryDict(body, encoding=request.encoding)
    return request.POST


def check_form_body(request: HttpRequest, body: bytes) -> None:
    for name, values in form_fields(request, body).lists():
        path = unstorable_field({name: values}, "")
        if path is not None:
            raise unstorable_refusal(path)


def check_body(request: HttpRequest) -> None:
    content_type = request.content_type or ""
    try:
        body = request.body
        if content_type in JSON_CONTENT_TYPES or content_type.endswith("+json"):
            check_json_body(body)
        elif content_type in FORM_CONTENT_TYPES:
            check_form_body(request, body)
    except RequestDataTooBig:
        raise RefusedInput(
            413, "request_too_large", "The request body is larger than the server accepts."
        ) from None
    except (TooManyFieldsSent, TooManyFilesSent) as exc:
        raise RefusedInput(400, "bad_request", str(exc)) from None


class RefuseUnstorableInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_unstorable_character(request.path):
            # No object's name holds such a character: whatever it names does not exist.
            return refused_response(request, RefusedInput(404, "not_found", "Not found."))
        try:
            check_headers(request)
            check_query(request)
            check_body(request)
        except RefusedInput as refusal:
            return refused_response(request, refusal)
        return self.get_response(request)


class APIErrorShapeMiddleware:
    """Error pages Django renders for /api/ paths, in the API's JSON error body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not is_api_request(request) or response.status_code < 400 or response.streaming:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        status = response.status_code
        code = ERROR_CODES.get(status, "error")
        detail = response.reason_phrase or code.replace("_", " ").capitalize()
        shaped = JsonResponse(error_body(status, code, f"{detail}."), status=status)
        for header in ("Allow", "WWW-Authenticate", "Retry-After", "Vary"):
            if header in response:
                shaped[header] = response[header]
        return shaped
