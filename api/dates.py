"""Dates known to the day, the month or the year, in ISO 8601's reduced precision.

A date known only to the month is stored as the first of the month with precision
"month" and served as "2024-03"; one known to the year as "2024". Input takes the same
three forms: "2024-03" stores 2024-03-01 and sets the precision to "month".
"""

from __future__ import annotations

import datetime
import re

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_field
from rest_framework import serializers

from tracker.choices import DatePrecision

REDUCED_DATE = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")
FORMATS = "YYYY-MM-DD, YYYY-MM (known to the month) or YYYY (known to the year)"


def precise_date(value: datetime.date | None, precision: str | None) -> str | None:
    """`value` as ISO 8601 text cut to `precision`."""
    if value is None:
        return None
    text = value.isoformat()
    if precision == DatePrecision.MONTH:
        return text[:7]
    if precision == DatePrecision.YEAR:
        return text[:4]
    return text


class PreciseDateField(serializers.CharField):
    """Read side: the date column and its precision column, served as one ISO 8601 text."""

    def __init__(self, date: str, precision: str, **kwargs):
        self.date_attribute = date
        self.precision_attribute = precision
        kwargs.setdefault("help_text", f"ISO 8601 date at its known precision: {FORMATS}.")
        kwargs.setdefault("allow_null", True)
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return precise_date(
            getattr(instance, self.date_attribute), getattr(instance, self.precision_attribute)
        )


class PrecisionField(serializers.ChoiceField):
    """How precisely a date is known: day, month or year."""

    def __init__(self, **kwargs):
        super().__init__(choices=DatePrecision.choices, **kwargs)


class PrecisionFieldSchema(OpenApiSerializerFieldExtension):
    """Every precision field (a deal's two, an event's one) is one named enum in the schema,
    not one per field name."""

    target_class = PrecisionField

    def map_serializer_field(self, auto_schema, direction):
        component = ResolvedComponent(
            name="DatePrecisionEnum",
            type=ResolvedComponent.SCHEMA,
            object="DatePrecisionEnum",
            schema={
                **build_choice_field(self.target),
                "description": "How precisely the date is known.",
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


class PreciseDateInputField(serializers.CharField):
    """Write side: a date at day, month or year precision; validates to (date, precision)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", f"{FORMATS}; a reduced date stores the first day and sets its precision."
        )
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, datetime.date):
            data = data.isoformat()
        text = super().to_internal_value(data).strip()
        match = REDUCED_DATE.match(text)
        if match is None:
            raise serializers.ValidationError(
                f"Date has wrong format. Use one of these formats instead: {FORMATS}."
            )
        year, month, day = match["year"], match["month"], match["day"]
        precision = (
            DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        )
        try:
            value = datetime.date(int(year), int(month or 1), int(day or 1))
        except ValueError:
            raise serializers.ValidationError("Not a date in the calendar.") from None
        return value, precision

    def to_representation(self, value):
        return value.isoformat() if isinstance(value, datetime.date) else value


def apply_precise_dates(attrs: dict, pairs: dict[str, str]) -> dict:
    """Split each (date, precision) input into its two model fields. `pairs` maps a date
    field to its precision field; a precision given explicitly wins over the text's, but a
    reduced date cannot be claimed to be known more precisely than it was written."""
    for date_field, precision_field in pairs.items():
        if date_field not in attrs:
            continue
        given = attrs[date_field]
        if given is None:
            continue
        value, implied = given
        attrs[date_field] = value
        explicit = attrs.get(precision_field)
        if explicit is None:
            attrs[precision_field] = implied
        elif RANK[explicit] > RANK[implied]:
            raise serializers.ValidationError(
                {
                    precision_field: f"{date_field} is written to the {implied}; it cannot be known to the {explicit}."
                }
            )
    return attrs


RANK = {DatePrecision.YEAR: 0, DatePrecision.MONTH: 1, DatePrecision.DAY: 2}
