"""Positions in a list for pages read by cursor (keyset pagination).

A cursor names the last row a page showed by the values of the list's order (its
columns, ending with the primary key), so the next page is read from there through the
order's index: it costs the same at any depth, where an offset walks every row before
the page. A cursor is only a position: a row added or removed earlier in the list moves
no page. Cursors are signed (only ours are read) and their values checked again as the
key columns hold them, so a cursor's contents never reach the database unchecked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections
from django.db.models import F, OrderBy, Q, QuerySet


class NotAPosition(ValueError):
    """A cursor that is not a position in this list (tampered, or of another order)."""


class NotKeyed(ValueError):
    """A list whose order is not made of its own columns (a relevance rank, a related row)."""


@dataclass(frozen=True)
class Key:
    field: str
    descending: bool
    nulls_first: bool

    @property
    def name(self) -> str:
        return f"-{self.field}" if self.descending else self.field


def order_item(item) -> tuple[str, bool, bool | None]:
    """(column, descending, nulls first or None for the database's default) of one
    `order_by` item."""
    if isinstance(item, str):
        return item.lstrip("-"), item.startswith("-"), None
    if isinstance(item, OrderBy) and isinstance(item.expression, F):
        nulls_first = True if item.nulls_first else False if item.nulls_last else None
        return item.expression.name, item.descending, nulls_first
    raise NotKeyed("This order is read by page number only.")


def keys_of(queryset: QuerySet) -> list[Key]:
    """The list's order as keys, the primary key last (added when the order lacks it)."""
    meta = queryset.model._meta
    nulls_largest = connections[queryset.db].features.nulls_order_largest
    keys = []
    for item in queryset.query.order_by or meta.ordering:
        name, descending, nulls_first = order_item(item)
        try:
            field = meta.pk if name == "pk" else meta.get_field(name)
        except FieldDoesNotExist as exc:
            raise NotKeyed(f"An order by {name} is read by page number only.") from exc
        if not field.concrete or field.is_relation:
            raise NotKeyed(f"An order by {name} is read by page number only.")
        if nulls_first is None:
            nulls_first = descending if nulls_largest else not descending
        keys.append(Key(field.attname, descending, nulls_first))
        if field.primary_key:
            return keys
    return [*keys, Key(meta.pk.attname, False, False)]


def ordered_by(queryset: QuerySet, keys: list[Key]) -> QuerySet:
    """`queryset` in exactly the keys' order (as the cursor reads it)."""
    return queryset.order_by(
        *(
            OrderBy(
                F(key.field),
                descending=key.descending,
                nulls_first=key.nulls_first or None,
                nulls_last=not key.nulls_first or None,
            )
            for key in keys
        )
    )


def beyond(key: Key, value) -> Q:
    """Rows past `value` in the key's own direction."""
    if value is None:
        return Q(**{f"{key.field}__isnull": False}) if key.nulls_first else Q(pk__in=[])
    past = Q(**{f"{key.field}__{'lt' if key.descending else 'gt'}": value})
    return past if key.nulls_first else past | Q(**{f"{key.field}__isnull": True})


def bound(key: Key, value) -> Q:
    """The first key's bound, which lets the order's index start at the position."""
    if value is None:
        return Q() if key.nulls_first else Q(**{f"{key.field}__isnull": True})
    reached = Q(**{f"{key.field}__{'lte' if key.descending else 'gte'}": value})
    return reached if key.nulls_first else reached | Q(**{f"{key.field}__isnull": True})


def after(keys: list[Key], values: list) -> Q:
    """The rows that come after the row whose keys have `values`."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        condition |= equal & beyond(key, value)
        equal &= Q(**{f"{key.field}__isnull": True}) if value is None else Q(**{key.field: value})
    return bound(keys[0], values[0]) & condition


CURSOR_SALT = "api.keyset.cursor"


class CursorJSON(signing.JSONSerializer):
    """The signer's JSON, with the dates, times and decimals a key column holds."""

    def dumps(self, obj):
        return DjangoJSONEncoder(separators=(",", ":")).encode(obj).encode("latin-1")


def values_of(keys: list[Key], row) -> list:
    """The keys' values of one row (a model instance of the list)."""
    return [getattr(row, key.field) for key in keys]


def encode(keys: list[Key], values) -> str:
    return sign({"order": [key.name for key in keys], "after": list(values)})


def decode(cursor: str, keys: list[Key], model) -> list:
    """The values of the position `cursor` names, as the key columns hold them."""
    payload = unsign(cursor)
    try:
        order, values = payload["order"], payload["after"]
    except KeyError as exc:
        raise NotAPosition("Not a cursor of this list.") from exc
    if (
        order != [key.name for key in keys]
        or not isinstance(values, list)
        or len(values) != len(keys)
    ):
        raise NotAPosition("A cursor of another order: read again from the first page.")
    if not all(storable(value) for value in values):
        raise NotAPosition("Not a cursor of this list.")
    try:
        return [
            None if value is None else column_value(model._meta.get_field(key.field), value)
            for key, value in zip(keys, values, strict=True)
        ]
    except (ValidationError, TypeError, ValueError, OverflowError) as exc:
        raise NotAPosition("Not a cursor of this list.") from exc


def storable(value) -> bool:
    """A plain value a column can hold: no NUL or unpaired surrogate in text, no
    infinity or NaN, nothing nested."""
    if value is None or isinstance(value, bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return "\x00" not in value and not any("\ud800" <= c <= "\udfff" for c in value)
    return False


def column_value(field, value):
    """`value` as `field` holds it, within the column's range (an id too large for the
    column would be the database's error, not the request's)."""
    value = field.to_python(value)
    field.run_validators(value)
    return value


def sign(payload: dict) -> str:
    # No timestamp: a position does not expire, and the same page always has the same link.
    return signing.Signer(salt=CURSOR_SALT).sign_object(
        payload, serializer=CursorJSON, compress=True
    )


def unsign(cursor: str) -> dict:
    """A cursor's payload, if we signed it; NotAPosition otherwise."""
    try:
        payload = signing.Signer(salt=CURSOR_SALT).unsign_object(cursor, serializer=CursorJSON)
    except (signing.BadSignature, UnicodeDecodeError, ValueError) as exc:
        raise NotAPosition("Not a cursor of this list.") from exc
    if not isinstance(payload, dict):
        raise NotAPosition("Not a cursor of this list.")
    return payload
