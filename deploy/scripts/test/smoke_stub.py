#!/usr/bin/env python3
"""Loopback stand-in for the Kennel API, used only to test deploy/scripts/smoke.sh.

Usage: smoke_stub.py MODE   (MODE: healthy | not-ready | not-json)
Listens on an ephemeral port on 127.0.0.1 and prints the port on stdout.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

MODE = sys.argv[1] if len(sys.argv) > 1 else "healthy"


class Handler(BaseHTTPRequestHandler):
    def _send(self, status, body, ctype):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 (name fixed by BaseHTTPRequestHandler)
        path = self.path.split("?", 1)[0]
        if path == "/healthz":
            self._send(200, "ok", "text/plain")
        elif path == "/readyz":
            if MODE == "not-ready":
                self._send(503, '{"status":"not ready"}', "application/json")
            else:
                self._send(200, '{"status":"ready"}', "application/json")
        elif path == "/v1/puppies":
            if MODE == "not-json":
                self._send(200, "<html>login</html>", "text/html")
            else:
                self._send(200, json.dumps({"items": [], "next_cursor": None}), "application/json")
        else:
            self._send(404, "{}", "application/problem+json")

    def log_message(self, *_args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
