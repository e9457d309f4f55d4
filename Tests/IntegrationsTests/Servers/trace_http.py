"""A generic trace service for the HTTP source's tests: serves the files
it is given at /calls/<Call-ID>/trace, the Call-ID percent-decoded from
one path segment, so a Call-ID that was not encoded (a "/" or "?" left
in) finds nothing.

    python3 trace_http.py --call ID=FILE [--call ID=FILE ...] [--fail ID=STATUS ...]
                          [--require "Authorization: Bearer tok" | --require "X-API-Key: k"]

An unknown Call-ID is 404; a --fail one answers that status with a short
text body; with --require, a request without exactly that header is 401. Test-only endpoints: GET /_test/requests, POST /_test/clear."""

import argparse
import re
from urllib.parse import unquote

from recording import RecordingHandler, serve

ROUTE = re.compile(r"^/calls/([^/?#]*)/trace(\?[^#]*)?$")


class TraceService(RecordingHandler):
    calls = {}
    failures = {}
    required = ""

    def do_GET(self):
        body = self.read_body()
        if self.path.startswith("/_test/"):
            if not self.handle_test_request(body):
                self.answer(404, "not found", "text/plain")
            return
        self.record(body)
        name, _, value = self.required.partition(": ")
        if self.required and self.headers.get(name, "") != value:
            return self.answer(401, '{"error":"unauthorized"}')
        match = ROUTE.match(self.path)
        call_id = unquote(match.group(1)) if match else None
        if call_id in self.failures:
            status = self.failures[call_id]
            return self.answer(status, f"upstream trace store failed ({status})", "text/plain")
        if call_id not in self.calls:
            return self.answer(404, '{"error":"no such call"}')
        path = self.calls[call_id]
        data = open(path, "rb").read()
        content_type = "application/vnd.tcpdump.pcap" if data[:4] in (b"\xd4\xc3\xb2\xa1", b"\n\r\r\n") else "text/plain"
        self.answer(200, data, content_type)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--call", action="append", default=[], help="Call-ID=FILE")
    parser.add_argument("--fail", action="append", default=[], help="Call-ID=STATUS")
    parser.add_argument("--require", default="")
    args = parser.parse_args()
    TraceService.calls = dict(c.rsplit("=", 1) for c in args.call)
    TraceService.failures = {k: int(v) for k, v in (f.rsplit("=", 1) for f in args.fail)}
    TraceService.required = args.require
    serve(TraceService)


if __name__ == "__main__":
    main()
