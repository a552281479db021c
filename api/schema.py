"""OpenAPI: the one error body on every operation; filters of lists served by detail actions."""

from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import get_view_model


class StrictFilterExtension(DjangoFilterExtension):
    """Documents a detail action's filters against the model of the rows it lists (a
    deal's timeline lists events), not against the view's own model."""

    target_class = "api.filter_backends.StrictDjangoFilterBackend"
    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        view_model = get_view_model(auto_schema.view)
        if filterset_class is None or view_model is None or issubclass(view_model, filterset_class._meta.model):
            return super().get_schema_operation_parameters(auto_schema, *args, **kwargs)
        rows_model = filterset_class._meta.model
        return [
            parameter
            for name, filter_field in filterset_class.base_filters.items()
            for parameter in self.resolve_filter_field(auto_schema, rows_model, filterset_class, name, filter_field)
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

ERRORS_BY_METHOD = {
    "get": {"400": "Unknown or malformed query parameter.", "404": "Not found."},
    "post": {"400": "Invalid input.", "401": "Not authenticated.", "403": "Not an editor.", "404": "Not found.",
             "412": "If-Match does not match the current ETag."},
    "put": {"400": "Invalid input.", "401": "Not authenticated.", "403": "Not an editor.", "404": "Not found.",
            "412": "If-Match does not match the current ETag."},
    "patch": {"400": "Invalid input.", "401": "Not authenticated.", "403": "Not an editor.", "404": "Not found.",
              "412": "If-Match does not match the current ETag."},
}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path in result.get("paths", {}).values():
        for method, operation in path.items():
            for code, description in ERRORS_BY_METHOD.get(method, {}).items():
                response = operation.setdefault("responses", {}).setdefault(code, {"description": description})
                response.setdefault("content", {})["application/json"] = {"schema": ref}
            if method == "get":
                operation["responses"]["429"] = {
                    "description": "Throttled.", "content": {"application/json": {"schema": ref}}
                }
    return result
