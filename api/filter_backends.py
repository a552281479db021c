"""Strict filtering: an unknown query parameter is a 400 naming the allowed ones.

A typo such as `?stauts=phase_2` would otherwise return the whole table, silently.
"""

from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError

# Parameters that belong to pagination, rendering or the browsable API, not to filters.
GENERAL_PARAMETERS = {"page", "page_size", "cursor", "format"}


class StrictDjangoFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        # Only lists filter: a detail lookup (or an action on one object) would pay for
        # building the filterset and could be narrowed to a 404 by a stray parameter.
        if getattr(view, "action", "list") != "list":
            return queryset
        filterset_class = self.get_filterset_class(view, queryset)
        allowed = set(GENERAL_PARAMETERS)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError(
                {name: [f"Unknown query parameter. Allowed: {', '.join(sorted(allowed))}."] for name in unknown}
            )
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        filterset.given_filters_only = True
        if not filterset.is_valid():
            raise translate_validation(filterset.errors)
        return filterset.qs
