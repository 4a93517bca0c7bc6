#!/usr/bin/env python3
"""Drill: SIGTERM during sustained browse load.

Claim: every request the server had accepted when the signal came is answered
in full with 200; the process stops taking connections and exits by itself
(exit code 0, i.e. through the graceful path, not killed by the signal)
within 10 s.

"Accepted" is the server's own view: every request carries its own
`x-request-id`, and a request is accepted when the server's access log names
it or the client got any answer to it. A keep-alive request that reaches the
socket in the instant the server closes that idle connection is never read;
the client sees the connection close without an answer and, by HTTP/1.1
rules, may retry it. Such requests are counted, and must have been sent
within a moment of the signal: one ignored while the server was running
normally is a failure.

Fault check: the signal lands while requests are in flight (accepted before
it, answered after it), the process is gone afterwards, and its port refuses
connections.
"""
import json
import signal
import sys
import time

from common import (Kennel, Load, Workspace, browse_paths, check, log, main, pid_alive,
                    port_refuses)

THREADS = 6
LOAD_SECONDS = 3.0
EXIT_BOUND = 10.0
# An unread request must have been sent at most this long before SIGTERM.
UNREAD_WINDOW = 0.25


def logged_request_ids(path):
    ids = set()
    with open(path, "rb") as f:
        for line in f:
            if not line.startswith(b"{"):
                continue
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if "httpRequest" in entry and "requestId" in entry:
                ids.add(entry["requestId"])
    return ids


def drill():
    ws = Workspace("sigterm")
    try:
        # Info level: the access log is the server's record of what it read.
        kennel = Kennel(ws.path, extra_env={"LOG_LEVEL": "info"})
        ws.on_exit(kennel.stop)
        kennel.seed()
        kennel.start()
        ids = [p["id"] for p in kennel.first_puppies(10)]
        paths = browse_paths(ids)

        def work(client, i):
            request_id = f"drill-{i}"
            return request_id, client.get(paths[i % len(paths)],
                                          headers={"x-request-id": request_id})

        load = Load(kennel.port, THREADS, work, timeout=15).start()
        time.sleep(LOAD_SECONDS)
        pid = kennel.proc.pid
        signalled = time.monotonic()
        kennel.signal(signal.SIGTERM)
        code = kennel.wait_exit(EXIT_BOUND + 5)
        exited = time.monotonic() - signalled
        check(code is not None, f"still running {EXIT_BOUND + 5:.0f} s after SIGTERM")
        check(not pid_alive(pid), "the process is still there after it was reaped")
        refused = port_refuses(kennel.port)
        time.sleep(0.3)
        results = load.stop()
        logged = logged_request_ids(kennel.log_path)
        log(f"exit code {code} after {exited:.2f} s; {len(results)} requests, {len(logged)} logged")

        check(code == 0, f"exit code {code} (expected 0: a graceful exit, not death by signal)")
        check(exited <= EXIT_BOUND, f"exited {exited:.2f} s after SIGTERM (bound {EXIT_BOUND:.0f} s)")
        check(refused, f"port {kennel.port} does not refuse connections after the exit")

        accepted = [(rid, r) for rid, r in results if rid in logged or r.status is not None]
        failed = [(rid, r) for rid, r in accepted if r.status != 200]
        before = [(rid, r) for rid, r in accepted if r.started < signalled]
        in_flight = [r for _, r in before if r.ended > signalled and r.status == 200]
        unread = [(rid, r) for rid, r in results if rid not in logged and r.status is None
                  and r.sent is not None and r.sent < signalled]
        ignored = [r for _, r in unread if r.sent < signalled - UNREAD_WINDOW]
        hung = [r for _, r in results if r.elapsed > EXIT_BOUND]
        check(len(before) >= 200, f"only {len(before)} requests before the signal: no sustained load")
        check(not failed, f"{len(failed)} of {len(accepted)} accepted requests failed, e.g. "
                          f"{failed[0][0]} -> {failed[0][1].describe()}" if failed else "")
        check(in_flight, "no request was in flight at SIGTERM: the drill did not hit live traffic")
        check(not ignored, f"{len(ignored)} requests sent more than {UNREAD_WINDOW * 1000:.0f} ms "
                           f"before SIGTERM were never read by the server" if ignored else "")
        check(not hung, f"{len(hung)} requests hung for more than {EXIT_BOUND:.0f} s")
        earliest = max((signalled - r.sent for _, r in unread), default=0.0)
        unread_note = (f"{len(unread)} sent at most {earliest * 1000:.2f} ms before it on idle "
                       f"keep-alive connections were closed unread" if unread else "none closed unread")
        return (f"{len(before)} requests accepted before SIGTERM, 0 failed, {len(in_flight)} in flight "
                f"at the signal; {unread_note}; exit code 0 after {exited:.2f} s "
                f"(bound {EXIT_BOUND:.0f} s); port refused afterwards")
    finally:
        ws.close()


if __name__ == "__main__":
    sys.exit(main("sigterm", drill))
