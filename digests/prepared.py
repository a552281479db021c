"""A message put in MIME form once and copied for each reader with their own details.

Building a message's MIME form (headers folded and encoded, parts joined) costs more than
rendering it. Readers who follow the same things get the same digest, so its form is
built once with stand-ins for what is each reader's own (address, message id, date,
unsubscribe link) and each copy has the reader's values put in. A value that the MIME
form could have changed (non-ASCII, a header that would fold, a line that would be
re-encoded) is not put in: that reader's message is built in full instead.
"""

from __future__ import annotations

import re
import secrets
from email.policy import compat32
from email.utils import formatdate

from django.conf import settings

_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")
# What HTML escaping would change in a link.
_ESCAPED = set("&<>\"'")
# A longer link could make a body line too long to go unencoded.
MAX_LINK_LENGTH = 500


class StandIns:
    """Stand-ins for one reader's own values, unlike anything else in a message."""

    def __init__(self):
        mark = secrets.token_hex(8)
        self.address = f"reader-{mark}@stand-in.invalid"
        self.message_id = f"<message-{mark}@stand-in.invalid>"
        self.date = f"date-{mark}"
        self.unsubscribe_url = f"https://stand-in.invalid/unsubscribe-{mark}/"


def fits(address: str, message_id: str, unsubscribe_url: str) -> bool:
    """Whether MIME would carry these values as they are: ASCII (a header is then only
    folded, which a copy does as Django would) and a link HTML escaping leaves alone."""
    return (
        _ADDRESS.fullmatch(address) is not None
        and (message_id + unsubscribe_url).isascii()
        and len(unsubscribe_url) < MAX_LINK_LENGTH
        and not _ESCAPED & set(unsubscribe_url)
    )


def _header(name: str, value: str) -> bytes:
    # How the MIME form writes an ASCII header (Django's messages use the compat32 policy).
    return compat32.fold_binary(name, value)


def reader_date() -> str:
    # As Django dates a message it builds.
    return formatdate(localtime=settings.EMAIL_USE_LOCALTIME)


class PreparedMessage:
    """What a mail backend reads from `EmailMessage.message()`: the copied bytes."""

    def __init__(self, data: bytes):
        self._data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self._data if linesep == "\n" else self._data.replace(b"\n", linesep.encode())

    def get_charset(self):
        return None


class SharedForm:
    """The MIME form of one message built with stand-ins, and its copies."""

    def __init__(self, mime_message, stand_ins: StandIns):
        self.stand_ins = stand_ins
        self._data = mime_message.as_bytes(linesep="\n")

    def copy_for(self, address: str, message_id: str, date: str, unsubscribe_url: str) -> PreparedMessage:
        stand_ins, data = self.stand_ins, self._data
        for name, stand_in, value in (
            ("To", stand_ins.address, address),
            ("Message-ID", stand_ins.message_id, message_id),
            ("Date", stand_ins.date, date),
            ("List-Unsubscribe", f"<{stand_ins.unsubscribe_url}>", f"<{unsubscribe_url}>"),
        ):
            data = data.replace(_header(name, stand_in), _header(name, value), 1)
        # What is left of the link is in the bodies, which are not encoded (8bit).
        return PreparedMessage(data.replace(stand_ins.unsubscribe_url.encode(), unsubscribe_url.encode()))
