"""A tiny loopback HTTP server for the Locust runs (crisis and sync endpoints)."""

import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path.startswith("/crisis"):
            time.sleep(0.002)
            body = b'{"crisis": "call or text 988"}'
        elif self.path.startswith("/sync"):
            time.sleep(0.01)
            body = b'{"synced": true}'
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        """POST /crisis is slow on purpose: one endpoint name whose two methods differ."""
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        if not self.path.startswith("/crisis"):
            self.send_error(404)
            return
        time.sleep(0.25)
        body = b'{"queued": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
