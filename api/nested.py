"""Nested input lists validated item by item, in full, by their own serializer.

DRF validates a nested `many=True` serializer as part of its parent, so in a PATCH the
items skip their required fields too, and the parent's code then meets an item without
its keys. `ItemsField` runs the item serializer on its own: every item is complete or
the request is a 400 naming the item and field.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_array_type
from rest_framework import serializers


class ItemsField(serializers.Field):
    """A list whose items are each validated by `item_serializer_class`."""

    def __init__(self, item_serializer_class, **kwargs):
        self.item_serializer_class = item_serializer_class
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        items = self.item_serializer_class(data=data, many=True, context=self.context)
        if not items.is_valid():
            raise serializers.ValidationError(items.errors)
        return items.validated_data

    def to_representation(self, value):
        return self.item_serializer_class(value, many=True, context=self.context).data


class ItemsFieldSchema(OpenApiSerializerFieldExtension):
    """Documents an ItemsField as an array of its item serializer's component."""

    target_class = ItemsField

    def map_serializer_field(self, auto_schema, direction):
        component = auto_schema.resolve_serializer(self.target.item_serializer_class(), direction)
        return build_array_type(component.ref)
