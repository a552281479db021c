"""Local receivers for the fan-out stage, each in its own process.

Run in the benchmark's own process they would share its interpreter lock and become
the bottleneck being measured; here the measurement is the product's, and the
deliveries' states (delivered only on acceptance) tell when every notice arrived.

The SMTP sink answers as aiosmtpd's sink does (the same greeting, EHLO extensions and
replies) and reads every message to its end, but without aiosmtpd's per-line work:
aiosmtpd used 0.5 ms of CPU per notice and 0.7 ms per digest, a fifth to a quarter of the
stage's CPU on the two cores it shares with the worker, where a mail server would run
elsewhere. BENCH_SMTP_SINK=aiosmtpd runs aiosmtpd's instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.servers import free_port, wait_for_http


class _Accept(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):  # readiness probe
        self.do_POST()

    def log_message(self, *args):
        pass


class _SMTPSink(asyncio.Protocol):
    """One SMTP connection: commands answered line by line, each message's data read in
    whatever chunks arrive until its end mark, and dropped."""

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = bytearray()
        self.in_data = False
        transport.write(b"220 localhost Python SMTP 1.4.6\r\n")

    def data_received(self, data: bytes) -> None:
        scanned = max(0, len(self.buffer) - 4)
        self.buffer += data
        while True:
            if self.in_data:
                # The end mark may have been split between chunks: look from before the last one.
                end = self.buffer.find(b"\r\n.\r\n", scanned)
                if end < 0:
                    return
                del self.buffer[: end + 5]
                self.in_data = False
                self.transport.write(b"250 OK\r\n")
            end = self.buffer.find(b"\r\n")
            if end < 0:
                return
            line = bytes(self.buffer[:end])
            del self.buffer[: end + 2]
            self.transport.write(self._answer(line))
            if line[:4].upper() == b"DATA":
                self.in_data = True
                # The end mark is a line of its own: so is the first line of the data.
                self.buffer[:0] = b"\r\n"
            elif line[:4].upper() == b"QUIT":
                self.transport.close()
                return
            scanned = 0

    @staticmethod
    def _answer(line: bytes) -> bytes:
        verb = line[:4].upper()
        if verb == b"EHLO":
            return b"250-localhost\r\n250-8BITMIME\r\n250 HELP\r\n"
        if verb == b"HELO":
            return b"250 localhost\r\n"
        if verb == b"DATA":
            return b"354 End data with <CR><LF>.<CR><LF>\r\n"
        if verb == b"QUIT":
            return b"221 Bye\r\n"
        if verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP"):
            return b"250 OK\r\n"
        return b"500 Error: command not recognized\r\n"


def serve_smtp(port: int) -> None:
    async def serve():
        server = await asyncio.get_running_loop().create_server(_SMTPSink, "127.0.0.1", port)
        await server.serve_forever()

    asyncio.run(serve())


@contextlib.contextmanager
def receivers():
    """Yields (smtp_port, webhook_url)."""
    smtp_port, http_port = free_port(), free_port()
    if os.environ.get("BENCH_SMTP_SINK") == "aiosmtpd":
        smtp = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "aiosmtpd",
                "-n",
                "-c",
                "aiosmtpd.handlers.Sink",
                "-l",
                f"127.0.0.1:{smtp_port}",
            ]
        )
    else:
        smtp = subprocess.Popen([sys.executable, "-m", "bench.sinks", "smtp", str(smtp_port)])
    http = subprocess.Popen([sys.executable, "-m", "bench.sinks", "http", str(http_port)])
    try:
        wait_for_http(f"http://127.0.0.1:{http_port}/")
        wait_for_port(smtp_port)
        yield smtp_port, f"http://127.0.0.1:{http_port}/hook"
    finally:
        for process in (smtp, http):
            process.terminate()
            process.wait(10)


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    import socket
    import time

    deadline = time.monotonic() + timeout
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


if __name__ == "__main__":
    kind, port = sys.argv[1], int(sys.argv[2])
    if kind == "smtp":
        serve_smtp(port)
    else:
        ThreadingHTTPServer(("127.0.0.1", port), _Accept).serve_forever()
