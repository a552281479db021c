"""Answers a source's requests from the documents the project ships for it, so that
`import_registry NAME --sample` shows an import with no network. The requests go through
the same client as a real run (rate, retries, headers); only the transport differs."""

from __future__ import annotations

import io
import mimetypes
from pathlib import Path

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .sources.base import Source


class SampleAdapter(BaseAdapter):
    def __init__(self, source: Source):
        super().__init__()
        self.source = source
        self.root = source.sample_directory()

    def file_for(self, url: str) -> Path | None:
        name = self.source.sample_file(url).strip("/")
        path = (self.root / name).resolve()
        if not path.is_relative_to(self.root.resolve()):
            return None
        for candidate in (path, path / "index.html"):
            if candidate.is_file():
                return candidate
        return None

    def send(self, request, *args, **kwargs) -> requests.Response:
        path = self.file_for(request.url)
        response = requests.Response()
        response.url, response.request = request.url, request
        if path is None:
            response.status_code, body, kind = 404, b"no sample document for this URL", "text/plain"
        else:
            response.status_code, body = 200, path.read_bytes()
            kind = mimetypes.guess_type(path.name)[0] or "text/html"
        response.headers = CaseInsensitiveDict({"Content-Type": f"{kind}; charset=utf-8"})
        response.encoding = "utf-8"
        response.raw = io.BytesIO(body)
        return response

    def close(self) -> None:
        pass
