#!/usr/bin/env python3
"""The HTTP client's test server: real sockets on 127.0.0.1, one behaviour per path.

Started by the Swift tests (LoopbackServer.swift) and by hand:

    python3 loopback_server.py [--tls-cert CERT --tls-key KEY]

It binds an ephemeral port on 127.0.0.1, prints `PORT <n>` on stdout and
serves until its stdin closes (so it dies with the test process that
started it, even one that crashed) or it is killed.

Paths (N is a number in the path):
    /echo...             200, JSON of the request: method, target, headers, body
    /status/N            status N with a short body, every time
    /slow/N              answers 200 after N milliseconds
    /concurrency         JSON: the most /slow requests ever in progress at once
    /stall               reads the request and never answers
    /stall-body          answers 200 with Content-Length 1000, sends 10 bytes, stalls
    /reset               reads the request and resets the connection (RST)
    /retry-after-seconds/N   429 with `Retry-After: N` the first time, then 200
    /retry-after-date/N      429 with `Retry-After: <HTTP-date N s ahead>` first, then 200
    /unavailable-once    503 the first time, then 200
    /redirect?to=URL     302 to URL
    /bytes/N             200 with N bytes and a Content-Length
    /bytes-unsized/N     200 with N bytes, no Content-Length (ends at close)
    /hits                JSON: every path asked so far with the times it was asked
    CONNECT 127.0.0.1:N  a tunnel to that loopback port (the https proxy tests);
                         recorded in /hits as "CONNECT 127.0.0.1:N"
Python 3 standard library only.
"""

import argparse
import email.utils
import json
import os
import select
import socket
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HITS = {}
HITS_LOCK = threading.Lock()
SLOW_NOW = 0
SLOW_MAX = 0


def record_hit(path):
    with HITS_LOCK:
        HITS.setdefault(path, []).append(time.time())
        return len(HITS[path])


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LoopbackTestServer/1"

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self.route()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_GET

    def do_CONNECT(self):
        host, _, port = self.path.rpartition(":")
        record_hit("CONNECT " + self.path)
        if host not in ("127.0.0.1", "localhost") or not port.isdigit():
            self.send_text(403, "this test proxy tunnels to loopback only\n")
            return
        try:
            upstream = socket.create_connection(("127.0.0.1", int(port)), timeout=5)
        except OSError:
            self.send_text(502, "cannot reach %s\n" % self.path)
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.wfile.flush()
        relay(self.connection, upstream)
        upstream.close()
        self.close_connection = True

    def route(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        # A proxied request names the whole URL; route on its path.
        target = self.path
        path = target
        if not path.startswith("/") and "://" in path:
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        path = path.partition("?")[0]
        if path not in ("/hits", "/concurrency"):
            count = record_hit(path)
        else:
            count = 0
        parts = path.strip("/").split("/")
        head = parts[0]
        number = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0

        if head == "echo":
            self.send_json(200, {
                "method": self.command,
                "target": target,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"),
            })
        elif head == "status":
            self.send_text(number, "status %d\n" % number)
        elif head == "slow":
            global SLOW_NOW, SLOW_MAX
            with HITS_LOCK:
                SLOW_NOW += 1
                SLOW_MAX = max(SLOW_MAX, SLOW_NOW)
            time.sleep(number / 1000.0)
            with HITS_LOCK:
                SLOW_NOW -= 1
            self.send_text(200, "slept %d ms\n" % number)
        elif head == "concurrency":
            with HITS_LOCK:
                self.send_json(200, {"max": SLOW_MAX})
        elif head == "stall":
            time.sleep(120)
        elif head == "stall-body":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"x" * 10)
            self.wfile.flush()
            time.sleep(120)
        elif head == "reset":
            self.reset_connection()
        elif head == "retry-after-seconds":
            if count == 1:
                self.send_text(429, "slow down\n", [("Retry-After", str(number))])
            else:
                self.send_text(200, "ok after %d requests\n" % count)
        elif head == "retry-after-date":
            if count == 1:
                when = email.utils.formatdate(time.time() + number, usegmt=True)
                self.send_text(429, "slow down\n", [("Retry-After", when)])
            else:
                self.send_text(200, "ok after %d requests\n" % count)
        elif head == "unavailable-once":
            if count == 1:
                self.send_text(503, "try again\n")
            else:
                self.send_text(200, "ok after %d requests\n" % count)
        elif head == "redirect":
            to = urllib.parse.parse_qs(target.partition("?")[2]).get("to", ["/echo"])[0]
            self.send_text(302, "see %s\n" % to, [("Location", to)])
        elif head == "bytes":
            payload = b"b" * number
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        elif head == "bytes-unsized":
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"u" * 65536
            left = number
            try:
                while left > 0:
                    piece = chunk[: min(left, len(chunk))]
                    self.wfile.write(piece)
                    left -= len(piece)
            except OSError:
                pass  # the client hung up past its cap: expected
            self.close_connection = True
        elif head == "hits":
            with HITS_LOCK:
                snapshot = {k: list(v) for k, v in HITS.items()}
            self.send_json(200, snapshot)
        else:
            self.send_text(404, "no such test path: %s\n" % path)

    def send_text(self, status, text, headers=()):
        payload = text.encode()
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def send_json(self, status, value):
        payload = json.dumps(value).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def reset_connection(self):
        # SO_LINGER with a zero timeout makes close() send RST, not FIN.
        sock = self.connection
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
        self.close_connection = True
        self.rfile = open(os.devnull, "rb")
        self.wfile = open(os.devnull, "wb")


def relay(a, b):
    """Copies bytes both ways until either side closes."""
    sockets = [a, b]
    while True:
        readable, _, _ = select.select(sockets, [], [], 30)
        if not readable:
            return
        for source in readable:
            target = b if source is a else a
            try:
                data = source.recv(65536)
                if not data:
                    return
                target.sendall(data)
            except OSError:
                return


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the concurrency test opens dozens at once

    def __init__(self, address, handler, tls_context):
        self.tls_context = tls_context
        super().__init__(address, handler)

    def get_request(self):
        sock, address = self.socket.accept()
        if self.tls_context is not None:
            # The handshake happens in the handler's thread, on first read,
            # so a client that refuses the certificate blocks nobody.
            sock = self.tls_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request, client_address):
        pass  # refused handshakes and resets are what the tests provoke


def exit_when_stdin_closes():
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        os._exit(0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    server = Server(("127.0.0.1", 0), Handler, context)
    threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
    print("PORT %d" % server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
