#!/usr/bin/env python3
"""A Slack-shaped webhook sink for the rehearsal: accepts the JSON that
Alertmanager's Slack receiver posts and appends each message, as one JSON
line with the time it arrived, to a file. Answers "ok" like Slack does.

It also stands in for the backup job's metric (the textfile that
ops/pgbackrest/backup.sh writes for the node exporter): GET /metrics answers
kennel_backup_last_success_timestamp_seconds with the sink's start time, so
the rehearsal's Prometheus sees a fresh backup and KennelBackupStale stays
quiet, as it should on a healthy system.

Usage: webhook_sink.py PORT OUT_FILE
"""

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Sink(BaseHTTPRequestHandler):
    out_file = ""
    started = time.time()

    def do_GET(self):  # noqa: N802
        if self.path != "/metrics":
            self.send_error(404)
            return
        body = (
            "# TYPE kennel_backup_last_success_timestamp_seconds gauge\n"
            f'kennel_backup_last_success_timestamp_seconds{{stanza="kennel",type="diff"}} {self.started:.0f}\n'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            message = json.loads(body)
        except ValueError:
            message = {"unparsed": body.decode("utf-8", "replace")}
        record = {"received_at": time.time(), "path": self.path, "message": message}
        with open(self.out_file, "a", encoding="utf-8") as out:
            out.write(json.dumps(record) + "\n")
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    Sink.out_file = sys.argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink)
    server.serve_forever()


if __name__ == "__main__":
    main()
