"""The API's OpenAPI schema class (its own module: DRF imports it while views load)."""

from drf_spectacular.openapi import AutoSchema
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS

WRITE_ACTIONS = {"create", "update", "partial_update"}


class APIAutoSchema(AutoSchema):
    """Writes answer with the read shape (api.mixins.RepresentationMixin), so their
    response is the view's read serializer. A cursor page is named apart from a numbered
    page of the same rows: the events feed and a deal's timeline list the same events
    in differently shaped pages."""

    def get_response_serializers(self):
        read_serializer_class = getattr(self.view, "read_serializer_class", None)
        if (
            read_serializer_class is not None
            and getattr(self.view, "action", None) in WRITE_ACTIONS
        ):
            return read_serializer_class
        return super().get_response_serializers()

    def get_auth(self):
        """A read that needs no login lists "no authentication" ({}) among its security
        requirements, so documentation tools draw no lock on it; drf-spectacular infers
        that only for DRF's own AllowAny and IsAuthenticatedOrReadOnly."""
        auths = super().get_auth()
        open_reads = all(
            getattr(permission, "reads_need_no_login", False)
            for permission in self.view.get_permissions()
        )
        if self.method in SAFE_METHODS and open_reads and {} not in auths:
            auths.append({})
        return auths

    def get_paginated_name(self, serializer_name: str) -> str:
        if isinstance(getattr(self.view, "paginator", None), CursorPagination):
            return f"Cursor{serializer_name}Page"
        return super().get_paginated_name(serializer_name)
