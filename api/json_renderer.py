"""JSON rendering with orjson: the same bytes DRF's JSONRenderer writes for our data
(compact separators, UTF-8 kept, U+2028 and U+2029 escaped), several times faster.

Anything orjson does not know (a lazy translation in an error message, a value out of
its integer range) and indented output fall back to DRF's own renderer.
"""

from __future__ import annotations

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

LINE_SEPARATORS = ((b"\xe2\x80\xa8", b"\\u2028"), (b"\xe2\x80\xa9", b"\\u2029"))
_encoder = JSONEncoder()


def encode_other(value):
    """What DRF's encoder makes of a value orjson has no type for."""
    return _encoder.default(value)


class FastJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if (
            self.ensure_ascii
            or not self.compact
            or self.get_indent(accepted_media_type, renderer_context or {})
        ):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            body = orjson.dumps(data, default=encode_other, option=orjson.OPT_NON_STR_KEYS)
        except TypeError:
            return super().render(data, accepted_media_type, renderer_context)
        # DRF escapes these so the JSON is also valid JavaScript; so do we.
        if b"\xe2\x80" in body:
            for raw, escaped in LINE_SEPARATORS:
                body = body.replace(raw, escaped)
        return body
