"""orjson rendering writes the bytes DRF's own JSON renderer writes for our data."""

import datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict

from api.json_renderer import FastJSONRenderer

SAMPLE = ReturnDict(
    {
        "count": 2,
        "next": None,
        "results": [
            {
                "title": "Amazon / Anthropic — “AI” ünïcode",
                "value": "8000000000.00",
                "is_open": False,
                "occurred_on": "2024-03",
                "amount": None,
                "nested": {"slug": "cma", "ids": [1, 2, 3]},
            },
            {
                "title": "a line\u2028separator and a paragraph\u2029separator",
                "text": 'quotes " and \\ slash',
            },
        ],
    },
    serializer=None,
)


def test_same_bytes_as_drf():
    assert FastJSONRenderer().render(SAMPLE) == JSONRenderer().render(SAMPLE)


def test_line_separators_are_escaped_as_drf_does():
    body = FastJSONRenderer().render({"t": "a\u2028b\u2029c"})
    assert body == b'{"t":"a\\u2028b\\u2029c"}'


def test_values_orjson_does_not_know_are_rendered_as_drf_renders_them():
    data = {
        "detail": gettext_lazy("Not found."),
        "amount": Decimal("1.50"),
        "day": datetime.date(2024, 3, 1),
    }
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_integers_beyond_64_bits_fall_back_to_drf():
    assert FastJSONRenderer().render({"n": 2**70}) == JSONRenderer().render({"n": 2**70})


def test_indented_output_is_drf_own():
    context = {"indent": 2}
    assert FastJSONRenderer().render({"a": 1}, renderer_context=context) == JSONRenderer().render(
        {"a": 1}, renderer_context=context
    )
