"""The API's OpenAPI schema class (its own module: DRF imports it while views load)."""

from drf_spectacular.openapi import AutoSchema
from rest_framework.pagination import CursorPagination


class APIAutoSchema(AutoSchema):
    """Names a cursor page apart from a numbered page of the same rows: the events feed
    and a deal's timeline list the same events in differently shaped pages."""

    def get_paginated_name(self, serializer_name: str) -> str:
        if isinstance(self._get_paginator(), CursorPagination):
            return f"Cursor{serializer_name}Page"
        return super().get_paginated_name(serializer_name)
