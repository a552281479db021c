"""Real servers on loopback that notices are sent to in tests: HTTP and SMTP."""

from __future__ import annotations

import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class ReceivedRequest:
    path: str
    headers: dict[str, str]
    body: bytes
    client_port: int = 0
    received_at: float = 0.0  # time.time() when the request arrived


class QuietHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A sender killed mid-request (as a test intends) is not an error of the receiver.
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@dataclass
class WebhookReceiver:
    """A threaded HTTP server on 127.0.0.1. `script[path]` is a list of status codes to
    answer in turn (the last one repeats); `delay` slows every answer down; `keep_alive`
    answers in HTTP/1.1, keeping the connection open for the sender's next request."""

    script: dict[str, list[int]] = field(default_factory=dict)
    redirect_to: str = ""
    delay: float = 0.0
    keep_alive: bool = False
    requests: list[ReceivedRequest] = field(default_factory=list)

    def __post_init__(self):
        receiver = self
        self._lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if receiver.keep_alive else "HTTP/1.0"

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with receiver._lock:
                    receiver.requests.append(
                        ReceivedRequest(
                            self.path,
                            {k.lower(): v for k, v in self.headers.items()},
                            body,
                            self.client_address[1],
                            time.time(),
                        )
                    )
                    codes = receiver.script.get(self.path) or [200]
                    status = codes.pop(0) if len(codes) > 1 else codes[0]
                if receiver.delay:
                    time.sleep(receiver.delay)
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", receiver.redirect_to or "/elsewhere")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = QuietHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def to(self, path: str) -> list[ReceivedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPSink:
    """An aiosmtpd server on loopback keeping every message it receives."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import SMTP

        logging.getLogger("mail.log").setLevel(logging.WARNING)

        sink = self
        self.open = 0  # client connections not yet closed
        self.messages = []
        self.peers = []  # the client address each message came from: one per connection
        self.envelopes = []  # (MAIL FROM, RCPT TOs, the data as sent) of each message
        self.options = []  # (MAIL FROM's options, RCPT TO's options) of each message
        self.refuse = set()  # recipients answered 550
        self._lock = threading.Lock()

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in sink.refuse:
                    return "550 No such user here"
                envelope.rcpt_tos.append(address)
                envelope.rcpt_options.extend(rcpt_options)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                message = message_from_bytes(envelope.original_content, policy=policy.default)
                with sink._lock:
                    sink.messages.append((time.time(), envelope.rcpt_tos, message))
                    sink.peers.append(session.peer)
                    sink.envelopes.append(
                        (envelope.mail_from, envelope.rcpt_tos, envelope.original_content)
                    )
                    sink.options.append((list(envelope.mail_options), list(envelope.rcpt_options)))
                return "250 OK"

        class CountingSMTP(SMTP):
            def connection_made(self, transport):
                with sink._lock:
                    sink.open += 1
                super().connection_made(transport)

            def connection_lost(self, error):
                super().connection_lost(error)
                with sink._lock:
                    sink.open -= 1

        class CountingController(Controller):
            def factory(self):
                return CountingSMTP(self.handler, **self.SMTP_kwargs)

        self.port = free_port()
        self.controller = CountingController(Handler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def open_connections(self) -> int:
        """Client connections open now; the server has read all a closed one sent."""
        with self._lock:
            return self.open

    def received(self):
        with self._lock:
            return list(self.messages)

    def connections(self) -> list:
        """The client address of each message received, in order: equal for one connection."""
        with self._lock:
            return list(self.peers)

    def as_sent(self) -> list[tuple[str, list[str], bytes]]:
        """(MAIL FROM, RCPT TOs, the data byte for byte) of each message received, in order."""
        with self._lock:
            return list(self.envelopes)

    def clear(self):
        with self._lock:
            self.messages.clear()
            self.peers.clear()
            self.envelopes.clear()
            self.options.clear()

    def stop(self):
        self.controller.stop()


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.05):
    """Poll until `predicate()` is truthy; return its value, or the last one at timeout."""
    deadline = time.monotonic() + timeout
    value = predicate()
    while not value and time.monotonic() < deadline:
        time.sleep(interval)
        value = predicate()
    return value
