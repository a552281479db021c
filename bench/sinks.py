"""Local receivers for the fan-out stage, each in its own process.

Run in the benchmark's own process they would share its interpreter lock and become
the bottleneck being measured; here the measurement is the product's, and the
deliveries' states (delivered only on acceptance) tell when every notice arrived.
"""

from __future__ import annotations

import contextlib
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


@contextlib.contextmanager
def receivers():
    """Yields (smtp_port, webhook_url)."""
    smtp_port, http_port = free_port(), free_port()
    smtp = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
                             "-l", f"127.0.0.1:{smtp_port}"])
    http = subprocess.Popen([sys.executable, "-m", "bench.sinks", str(http_port)])
    try:
        wait_for_http(f"http://127.0.0.1:{http_port}/")
        yield smtp_port, f"http://127.0.0.1:{http_port}/hook"
    finally:
        for process in (smtp, http):
            process.terminate()
            process.wait(10)


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), _Accept).serve_forever()
