"""Strict filtering: an unknown query parameter is a 400 naming the allowed ones.

A typo such as `?stauts=phase_2` would otherwise return the whole table, silently.
"""

from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from rest_framework.exceptions import ValidationError


def general_parameters(view) -> set[str]:
    """Parameters that belong to the view's pagination and to rendering, not to filters."""
    paginator = getattr(view, "paginator", None)
    attributes = ("page_query_param", "page_size_query_param", "cursor_query_param")
    # `part`: which part of a CSV export (api.mixins.csv_part).
    return {
        "format",
        "part",
        *filter(None, (getattr(paginator, attr, None) for attr in attributes)),
    }


def unknown_parameter_errors(params, allowed) -> dict[str, list[str]]:
    """An error per query parameter not in `allowed`, naming the allowed ones."""
    message = f"Unknown query parameter. Allowed: {', '.join(sorted(allowed))}."
    return {name: [message] for name in sorted(set(params) - set(allowed))}


def refuse_unknown_parameters(params, allowed) -> None:
    errors = unknown_parameter_errors(params, allowed)
    if errors:
        raise ValidationError(errors)


class StrictDjangoFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        # Only lists filter: a detail lookup (or an action on one object) would pay for
        # building the filterset and could be narrowed to a 404 by a stray parameter.
        if getattr(view, "action", "list") != "list":
            return queryset
        return self.filter_list(request, queryset, view)

    def filter_list(self, request, queryset, view):
        """The view's filterset applied to `queryset`; an unknown parameter is a 400."""
        filterset_class = self.get_filterset_class(view, queryset)
        allowed = general_parameters(view)
        if filterset_class is not None:
            allowed |= set(filterset_class.base_filters)
        refuse_unknown_parameters(request.query_params, allowed)
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        if not filterset.is_valid():
            raise ValidationError(choice_errors_listing_the_choices(filterset.form))
        return filterset.qs


def choice_errors_listing_the_choices(form) -> dict[str, list[str]]:
    """The form's errors, each invalid choice with the valid ones: `?status=bogus` says
    what a status can be."""
    errors = translate_validation(form.errors).detail
    for name, field_errors in form.errors.as_data().items():
        choices = getattr(form.fields.get(name), "choices", None)
        if choices is None:
            continue
        # Iterated, not measured: django-filter's iterator has no length for callable choices.
        valid = ", ".join(str(value) for value, _ in choices if value != "")
        errors[name] = [
            f"{error.params['value']!r} is not one of: {valid}."
            if error.code == "invalid_choice" and error.params
            else message
            for error, message in zip(field_errors, errors[name], strict=True)
        ]
    return errors
