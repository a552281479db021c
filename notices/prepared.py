"""A message put in MIME form once and copied for each reader with their own details.

Building a message's MIME form (headers folded and encoded, parts joined) costs more than
rendering it. Readers of the same notice or of the same digest get the same message, so
its form is built once with stand-ins for what is each reader's own (address, message
id, date, unsubscribe link) and each copy has the reader's values put in. A value that
MIME would have changed (a non-ASCII address, a link HTML escaping would alter) is not
put in: that reader's message is built in full instead.

A copy sent through Django's SMTP backend goes straight to its SMTP connection with the
envelope Django would give it: the per-message work of the backend (parsing both
addresses again) is done once per sender, and not at all for an address that is already
in the only form Django's sanitising could give it.
"""

from __future__ import annotations

import functools
import re
import secrets
import smtplib
from email.policy import compat32
from email.utils import formatdate

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

# A plain address that Django's sanitising leaves as it is: a dot-atom local part, and a
# domain of ASCII labels that IDNA encoding leaves as they are (1 to 63 characters).
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")
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


# compat32 writes an ASCII header that fits its first line as it is, and moves a longer
# one that has nowhere to break (no white space, comma or semicolon) to a line of its own.
_MAX_LINE = compat32.max_line_length
_BREAKS = re.compile(r"[\s,;]")
_PRINTABLE = re.compile(r"[\x20-\x7e]*")


def folded_header(name: str, value: str) -> bytes:
    """A header as the MIME form writes it (Django's messages use the compat32 policy),
    without building it for the common cases: an ASCII value on one line."""
    if _PRINTABLE.fullmatch(value):
        if len(name) + 2 + len(value) <= _MAX_LINE:
            return f"{name}: {value}\n".encode("ascii")
        if not _BREAKS.search(value):
            return f"{name}: \n {value}\n".encode("ascii")
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
        self._link = stand_ins.link.encode()
        self._folded_stand_ins: dict[tuple[str, str], bytes] = {}

    def _folded_stand_in(self, name: str, stand_in: str) -> bytes:
        key = (name, stand_in)
        if key not in self._folded_stand_ins:
            self._folded_stand_ins[key] = folded_header(name, stand_in)
        return self._folded_stand_ins[key]

    def copy_for(self, headers: dict[str, tuple[str, str]], link: str) -> PreparedMessage:
        """`headers`: name -> (stand-in, the reader's value); `link` the reader's own link,
        in place of the stand-in's wherever it is left (in the bodies, not encoded: 8bit)."""
        data = self._data
        for name, (stand_in, value) in headers.items():
            data = data.replace(
                self._folded_stand_in(name, stand_in), folded_header(name, value), 1
            )
        return PreparedMessage(data.replace(self._link, link.encode()))


class PreparedEmail(EmailMultiAlternatives):
    """A reader's email; `prepared`, when set, is its MIME form copied from a shared one."""

    prepared: PreparedMessage | None = None

    def message(self):
        return self.prepared or super().message()

    def send(self, fail_silently: bool = False) -> int:
        connection = self.get_connection(fail_silently)
        if (
            self.prepared is None
            or type(connection) is not SMTPBackend
            or len(self.recipients()) != 1
        ):
            return super().send(fail_silently)
        return send_copy(
            connection,
            envelope_sender(self.from_email, self.encoding or settings.DEFAULT_CHARSET),
            self.recipients()[0],
            self.prepared,
        )


@functools.lru_cache(maxsize=16)
def envelope_sender(from_email: str, encoding: str) -> str:
    return sanitize_address(from_email, encoding)


def send_copy(
    connection: SMTPBackend, sender: str, recipient: str, message: PreparedMessage
) -> int:
    """What `connection.send_messages([email])` does for one email, given its envelope
    sender and (a plain address: see `fits`) its recipient."""
    opened = connection.open()
    if not connection.connection or opened is None:
        return 0  # could not connect, and told to fail silently
    try:
        connection.connection.sendmail(sender, [recipient], message.as_bytes(linesep="\r\n"))
    except smtplib.SMTPException:
        if not connection.fail_silently:
            raise
        return 0
    finally:
        if opened:
            connection.close()
    return 1


def put_in(text: str, values: dict[str, str]) -> str:
    for stand_in, value in values.items():
        text = text.replace(stand_in, value)
    return text
