"""A message put in MIME form once and copied for each reader with their own details.

Building a message's MIME form (headers folded and encoded, parts joined) costs more than
rendering it. Readers of the same notice or of the same digest get the same message, so
its form is built once with stand-ins for what is each reader's own (address, message
id, date, unsubscribe link) and each copy has the reader's values put in. A value that
MIME would have changed (a non-ASCII address, a link HTML escaping would alter) is not
put in: that reader's message is built in full instead.
"""

from __future__ import annotations

import re
import secrets
from email.policy import compat32
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives

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
        self.link = f"https://stand-in.invalid/link-{mark}/"
        self.token = f"token-{mark}"


def fits(address: str, headers: list[str], link: str) -> bool:
    """Whether MIME carries these values as they are: ASCII (a header is then only folded,
    which a copy does as Django would) and a link HTML escaping leaves alone."""
    return (
        _ADDRESS.fullmatch(address) is not None
        and all(value.isascii() for value in headers)
        and link.isascii()
        and len(link) < MAX_LINK_LENGTH
        and not _ESCAPED & set(link)
    )


def reader_date() -> str:
    # As Django dates a message it builds.
    return formatdate(localtime=settings.EMAIL_USE_LOCALTIME)


def _header(name: str, value: str) -> bytes:
    # How the MIME form writes an ASCII header (Django's messages use the compat32 policy).
    return compat32.fold_binary(name, value)


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

    def __init__(self, model: EmailMultiAlternatives, stand_ins: StandIns):
        self.stand_ins = stand_ins
        self._data = model.message().as_bytes(linesep="\n")

    def copy_for(self, headers: dict[str, tuple[str, str]], link: str) -> PreparedMessage:
        """`headers`: name -> (stand-in, the reader's value); `link` the reader's own link,
        in place of the stand-in's wherever it is left (in the bodies, not encoded: 8bit)."""
        data = self._data
        for name, (stand_in, value) in headers.items():
            data = data.replace(_header(name, stand_in), _header(name, value), 1)
        return PreparedMessage(data.replace(self.stand_ins.link.encode(), link.encode()))


class PreparedEmail(EmailMultiAlternatives):
    """A reader's email; `prepared`, when set, is its MIME form copied from a shared one."""

    prepared: PreparedMessage | None = None

    def message(self):
        return self.prepared or super().message()


def put_in(text: str, values: dict[str, str]) -> str:
    for stand_in, value in values.items():
        text = text.replace(stand_in, value)
    return text
