"""What both test servers share: a threaded HTTP server on 127.0.0.1 that
records every request (method, raw path, headers, body) for the test to
read back at GET /_test/requests, prints its port on the first line of
stdout, and stops when stdin closes (the test process went away)."""

import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class RecordingHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Set by serve(): the list the requests go into, and its lock.
    recorded = []
    lock = threading.Lock()

    def log_message(self, format, *args):
        pass  # the test reads /_test/requests; stderr stays quiet

    def read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def record(self, body):
        entry = {
            "method": self.command,
            "path": self.path,  # raw, as sent: percent-encoding kept
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8", errors="replace"),
        }
        with self.lock:
            self.recorded.append(entry)

    def answer(self, status, body, content_type="application/json", extra_headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra_headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def answer_json(self, status, value):
        self.answer(status, json.dumps(value, separators=(",", ":")))

    def drop_connection(self):
        """What a Go handler's unrecovered panic looks like from outside."""
        self.close_connection = True
        try:
            self.connection.shutdown(2)
        except OSError:
            pass

    def handle_test_request(self, body):
        """The test's own endpoints, never recorded; True when handled."""
        if self.path == "/_test/requests" and self.command == "GET":
            with self.lock:
                self.answer_json(200, list(self.recorded))
            return True
        if self.path == "/_test/clear" and self.command == "POST":
            with self.lock:
                self.recorded.clear()
            self.answer_json(200, {})
            return True
        return False


def serve(handler_class):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler_class)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # The test holds our stdin; when it exits or closes it, so do we.
    sys.stdin.read()
    server.shutdown()
