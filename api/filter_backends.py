"""Strict filtering: an unknown query parameter is a 400 naming the allowed ones.

A typo such as `?stauts=phase_2` would otherwise return the whole table, silently.
"""

from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.exceptions import ValidationError

# Parameters that belong to pagination, rendering or the browsable API, not to filters.
GENERAL_PARAMETERS = {"page", "page_size", "cursor", "format"}


class StrictDjangoFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        if getattr(view, "action", None) not in {"retrieve", "transition"}:
            filterset_class = self.get_filterset_class(view, queryset)
            allowed = set(GENERAL_PARAMETERS) | set(getattr(view, "extra_query_parameters", ()))
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
            unknown = sorted(set(request.query_params) - allowed)
            if unknown:
                raise ValidationError(
                    {
                        name: [f"Unknown query parameter. Allowed: {', '.join(sorted(allowed))}."]
                        for name in unknown
                    }
                )
        return super().filter_queryset(request, queryset, view)
