"""CSV output for every list endpoint, streamed row by row.

The CSV renderer is registered like any other (so `?format=csv` and `Accept: text/csv`
both select it); list views that see it chosen stream the whole filtered queryset
instead of a page (see api.mixins.CSVStreamingListMixin).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from rest_framework.renderers import BaseRenderer


def flatten(row: dict, prefix: str = "") -> dict:
    """{"deal": {"slug": "x"}} -> {"deal.slug": "x"}; lists become "; "-joined text."""
    flat: dict = {}
    for key, value in row.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = "; ".join(
                ", ".join(f"{v}" for v in item.values() if v not in (None, "")) if isinstance(item, dict) else str(item)
                for item in value
            )
        else:
            flat[name] = "" if value is None else value
    return flat


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = None
    for row in rows:
        flat = flatten(row)
        if writer is None:
            writer = csv.DictWriter(buffer, fieldnames=list(flat), extrasaction="ignore")
            writer.writeheader()
        writer.writerow(flat)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Used for non-streamed bodies only (errors, single objects).
        if data is None:
            return b""
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rows = data if isinstance(data, list) else [data]
        return "".join(csv_lines(rows)).encode("utf-8")
