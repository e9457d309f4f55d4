"""A fault-injecting reverse proxy for the back-end tests: it stands in
front of a real server (Request Tracker, Synapse) and answers the first
N requests itself with a failure, then forwards every request unchanged
and hands the real answer back.

    python3 fault_proxy.py --upstream http://127.0.0.1:PORT [--fail N]
                           [--status 500] [--retry-after SECONDS]

A failure is `--status` (500 by default; 429 or 503 say "not acted on")
with a JSON body {"message": ...} and, if given, a Retry-After header.
Paths, query strings and headers go through as sent (Host is the
upstream's); redirects are handed back, not followed.

Test-only endpoints (never forwarded, never counted):
GET /_test/stats -> {"faults": n, "forwarded": n, "requests": ["GET /path", ...]}
POST /_test/arm {"fail": N, "status": S, "retry_after": seconds or null}
(the next N requests fail so; clears the counts)."""

import argparse
import http.client
import json
import threading
import urllib.parse

from recording import RecordingHandler, serve


class State:
    lock = threading.Lock()
    fail = 0
    status = 500
    retry_after = None
    faults = 0
    forwarded = 0
    requests = []
    upstream = None


class FaultProxy(RecordingHandler):
    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def handle_any(self):
        body = self.read_body()
        if self.path == "/_test/stats" and self.command == "GET":
            with State.lock:
                self.answer_json(200, {"faults": State.faults, "forwarded": State.forwarded,
                                       "requests": list(State.requests)})
            return
        if self.path == "/_test/arm" and self.command == "POST":
            armed = json.loads(body or b"{}")
            with State.lock:
                State.fail = int(armed.get("fail", 0))
                State.status = int(armed.get("status", 500))
                State.retry_after = armed.get("retry_after")
                State.faults = State.forwarded = 0
                State.requests = []
            self.answer_json(200, {})
            return
        with State.lock:
            State.requests.append(f"{self.command} {self.path}")
            failing = State.fail > 0
            if failing:
                State.fail -= 1
                State.faults += 1
                status, retry_after = State.status, State.retry_after
            else:
                State.forwarded += 1
        if failing:
            extra = [("Retry-After", str(retry_after))] if retry_after is not None else []
            self.answer(status, json.dumps({"message": f"fault_proxy: injected {status}"}), extra_headers=extra)
            return
        self.forward(body)

    def forward(self, body):
        upstream = State.upstream
        connection = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection", "keep-alive")}
        headers["Host"] = upstream.netloc
        try:
            connection.request(self.command, self.path, body=body or None, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except OSError as error:
            self.answer(502, json.dumps({"message": f"fault_proxy: upstream failed: {error}"}))
            return
        finally:
            connection.close()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "keep-alive", "content-length", "date", "server"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True)
    parser.add_argument("--fail", type=int, default=0)
    parser.add_argument("--status", type=int, default=500)
    parser.add_argument("--retry-after", type=int, default=None)
    args = parser.parse_args()
    State.upstream = urllib.parse.urlsplit(args.upstream)
    State.fail, State.status, State.retry_after = args.fail, args.status, args.retry_after
    serve(FaultProxy)


if __name__ == "__main__":
    main()
