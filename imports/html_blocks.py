"""A registry page's HTML body as a flat list of blocks (headings, paragraphs, list items,
table rows), each with its text and links: what the parsers read dates and documents from."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_TAGS = {"h1", "h2", "h3", "h4", "p", "li", "tr"}


@dataclass
class Block:
    tag: str
    text: str = ""
    cells: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (href, text)
    header_row: bool = False


class _BlockParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._open: Block | None = None
        self._text: list[str] = []
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS and not (
            tag == "p" and self._open is not None and self._open.tag == "li"
        ):
            self._close()
            self._open, self._text = Block(tag), []
        elif tag in ("td", "th") and self._open is not None and self._open.tag == "tr":
            self._cell = []
            self._open.header_row = self._open.header_row or tag == "th"
        elif tag == "a":
            self._link = (dict(attrs).get("href") or "", [])
        elif tag == "br":
            self._data(" ")

    def handle_endtag(self, tag):
        if tag == "a" and self._link is not None:
            href, words = self._link
            if self._open is not None and href:
                self._open.links.append((href, _squash("".join(words))))
            self._link = None
        elif tag in ("td", "th") and self._cell is not None and self._open is not None:
            self._open.cells.append(_squash("".join(self._cell)))
            self._cell = None
        elif tag in BLOCK_TAGS and self._open is not None and self._open.tag == tag:
            self._close()

    def handle_data(self, data):
        self._data(data)

    def _data(self, data):
        self._text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        if self._link is not None:
            self._link[1].append(data)

    def _close(self):
        if self._open is not None:
            self._open.text = _squash("".join(self._text))
            self.blocks.append(self._open)
        self._open, self._text = None, []

    def close(self):
        super().close()
        self._close()


def _squash(text: str) -> str:
    return " ".join(text.split())


def blocks_of(html: str) -> list[Block]:
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    return parser.blocks
