"""CSV output for every list endpoint, streamed row by row.

The CSV renderer is registered like any other (so `?format=csv` and `Accept: text/csv`
both select it); list views that see it chosen stream the whole filtered queryset
instead of a page (see api.mixins.CSVStreamingListMixin).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

from .csv_safety import neutralise_formula


def flatten(row: dict, prefix: str = "") -> dict:
    """{"deal": {"slug": "x"}} -> {"deal.slug": "x"}; lists become "; "-joined text."""
    flat: dict = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = "; ".join(
                ", ".join(f"{v}" for v in item.values() if v not in (None, ""))
                if isinstance(item, dict)
                else str(item)
                for item in value
            )
        else:
            flat[name] = "" if value is None else value
    return flat


def serializer_columns(serializer, prefix: str = "") -> list[str]:
    """The CSV header of a serializer's rows, nested objects flattened to dotted names,
    so an empty export still has its header and a first row with a null relation does
    not drop that relation's columns from every row."""
    columns: list[str] = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        if isinstance(field, serializers.Serializer):
            columns += serializer_columns(field, f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns


def csv_lines(rows: Iterable[dict], columns: list[str] | None = None) -> Iterator[str]:
    """CSV text, a chunk per row; the header is `columns`, or else the first row's keys.
    Every CSV the API writes goes through here, so every cell is formula-safe."""
    buffer = io.StringIO()
    writer = None

    def start(fieldnames):
        nonlocal writer
        writer = csv.DictWriter(buffer, fieldnames=fieldnames, extrasaction="ignore")
        writer.writeheader()

    if columns is not None:
        start(columns)
    for row in rows:
        flat = flatten(row)
        if writer is None:
            start(list(flat))
        writer.writerow({name: neutralise_formula(value) for name, value in flat.items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # a header with no rows after it
        yield buffer.getvalue()


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Used for non-streamed bodies only (errors, single objects, the notices lists).
        if data is None:
            return b""
        columns = None
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
            view = (renderer_context or {}).get("view")
            if hasattr(view, "get_serializer"):
                columns = serializer_columns(view.get_serializer())
            elif hasattr(view, "csv_columns"):  # a report: its columns follow the request
                columns = view.csv_columns()
        rows = data if isinstance(data, list) else [data]
        return "".join(csv_lines(rows, columns)).encode("utf-8")
