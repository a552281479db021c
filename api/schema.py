"""OpenAPI: the one error body on every operation; filters of lists served by detail actions;
the calendar feeds, which are plain Django views."""

from django.conf import settings
from django_filters import DateFilter
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import get_view_model

from .reports import DeadlineFilter


class StrictFilterExtension(DjangoFilterExtension):
    """Documents a detail action's filters against the model of the rows it lists (a
    deal's timeline lists events), not against the view's own model."""

    target_class = "api.filter_backends.StrictDjangoFilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        view_model = get_view_model(auto_schema.view)
        if (
            filterset_class is None
            or view_model is None
            or issubclass(view_model, filterset_class._meta.model)
        ):
            return super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        rows_model = filterset_class._meta.model
        return [
            parameter
            for name, filter_field in filterset_class.base_filters.items()
            for parameter in self.resolve_filter_field(
                auto_schema, rows_model, filterset_class, name, filter_field
            )
        ]


ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every error response.",
    "properties": {
        "status": {"type": "integer", "example": 400},
        "code": {"type": "string", "example": "invalid"},
        "detail": {"type": "string", "example": "occurred_on: Date has wrong format."},
        "errors": {
            "type": "object",
            "description": "Field name (or non_field_errors) to its messages; only for invalid input.",
            "additionalProperties": {"type": "array", "items": {}},
        },
    },
    "required": ["status", "code", "detail"],
}

WRITE_ERRORS = {
    "400": "Invalid input.",
    "401": "Not authenticated.",
    "403": "Not an editor.",
    "404": "Not found.",
    "409": "Conflicts with existing data.",
    "412": "If-Match does not match the current ETag.",
    "413": "The body is larger than the server accepts.",
    "415": "Unsupported media type.",
}
ERRORS_BY_METHOD = {
    "get": {
        "400": "Unknown or malformed query parameter.",
        "401": "Not authenticated (or a bad token).",
        "404": "Not found.",
    },
    "post": WRITE_ERRORS,
    "put": WRITE_ERRORS,
    "patch": WRITE_ERRORS,
    "delete": {
        "400": "Malformed query parameter.",
        "401": "Not authenticated.",
        "403": "Not allowed.",
        "404": "Not found.",
    },
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            responses = operation.setdefault("responses", {})
            for code, description in ERRORS_BY_METHOD.get(method, {}).items():
                responses.setdefault(code, {"description": description})
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    response.setdefault("content", {})["application/json"] = {"schema": ref}
            throttled = {
                "description": "Throttled.",
                "content": {"application/json": {"schema": ref}},
            }
            operation["responses"]["429"] = throttled
    return result


def calendar_parameters() -> list[dict]:
    """The query parameters of the .ics feeds: the deadline filters."""
    parameters = []
    for name, filter_ in DeadlineFilter.base_filters.items():
        is_date = isinstance(filter_, DateFilter)
        parameters.append(
            {
                "name": name,
                "in": "query",
                "required": False,
                "description": str(filter_.extra.get("help_text", "")),
                "schema": {"type": "string", "format": "date"} if is_date else {"type": "string"},
            }
        )
    return parameters


def calendar_operation(
    summary: str, operation_id: str, extra_parameters=(), not_found: bool = False
) -> dict:
    ref = {"$ref": "#/components/schemas/Error"}
    responses = {
        "200": {
            "description": "An iCalendar feed.",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        },
        "400": {
            "description": "Unknown or malformed query parameter.",
            "content": {"application/json": {"schema": ref}},
        },
    }
    if not_found:
        responses["404"] = {
            "description": "No such feed.",
            "content": {"application/json": {"schema": ref}},
        }
    return {
        "get": {
            "operationId": operation_id,
            "summary": summary,
            "tags": ["deadlines"],
            "security": [{}],
            "parameters": [*extra_parameters, *calendar_parameters()],
            "responses": responses,
        }
    }


def add_calendar_feeds(result, generator, request, public):
    """The .ics feeds are plain Django views, which drf-spectacular does not see."""
    token = {
        "name": "token",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "description": "The secret of a personal calendar feed (see calendar-feed/).",
    }
    paths = result.setdefault("paths", {})
    paths["/api/v1/deadlines.ics"] = calendar_operation(
        "Upcoming deadlines of open reviews as iCalendar", "deadlines_ics"
    )
    paths["/api/v1/deadlines/following/{token}.ics"] = calendar_operation(
        "Deadlines of the reviews a user follows, as iCalendar",
        "deadlines_following_ics",
        [token],
        not_found=True,
    )
    return result


def add_csv_responses(result, generator, request, public):
    """Operations taking `format` answer `format=csv` (or Accept: text/csv) with CSV."""
    csv_content = {"schema": {"type": "string"}}
    part = {
        "name": "part",
        "in": "query",
        "required": False,
        "description": "With format=csv: the part of the export, API_CSV_MAX_ROWS rows each "
        "(staff get every row at once); a response with more to come names the next part in "
        '`Link: <...>; rel="next"`.',
        "schema": {"type": "integer", "minimum": 1, "maximum": settings.API_CSV_MAX_PARTS},
    }
    for path in result.get("paths", {}).values():
        for operation in path.values():
            parameters = operation.get("parameters", [])
            if not any(parameter.get("name") == "format" for parameter in parameters):
                continue
            if not any(parameter.get("name") == "part" for parameter in parameters):
                parameters.append(part)
            for code, response in operation.get("responses", {}).items():
                if code.startswith("2") and "application/json" in response.get("content", {}):
                    response["content"]["text/csv"] = csv_content
    return result
