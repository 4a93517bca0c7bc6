#!/usr/bin/env python3
"""Drill: kill -9 during a stream of acknowledged writes, on SQLite or Postgres.

Usage: kill9.py sqlite|postgres

Claim: after the server is killed without warning and started again on the
same database, every write it acknowledged (204 for a favourite, 201 for an
inquiry) is there, and nothing is half-written (an inquiry reads back with the
exact message sent).

Fault check: the process died of SIGKILL (not an exit of its own), its port
refused connections, and writes were in flight when it died (sent, never
answered), so the kill really cut through the stream. A kill that falls
between two writes is repeated (up to three kills); every kill's acknowledged
writes must survive.

Postgres: a fresh database on TEST_DATABASE_URL's server (default the local
one on 5432), dropped afterwards.
"""
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid

from common import (Kennel, Load, Workspace, call, check, confirmed_account, expect, log, main,
                    need, pid_alive, port_refuses)

WRITERS = 6
WRITE_SECONDS = 2.5
KILL_ATTEMPTS = 3
ADMIN_URL = os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def psql(url, sql):
    return subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
                          capture_output=True, text=True, timeout=60)


def postgres_database(ws):
    """Creates a throw-away database on the shared server; returns its URL."""
    need(subprocess.run(["which", "psql"], capture_output=True).returncode == 0,
         "psql is not installed")
    probe = psql(ADMIN_URL, "SELECT 1")
    need(probe.returncode == 0, f"Postgres is not reachable at {ADMIN_URL.split('@')[-1]}")
    name = f"kennel_drill_{uuid.uuid4().hex[:10]}"
    created = psql(ADMIN_URL, f"CREATE DATABASE {name}")
    check(created.returncode == 0, f"cannot create database {name}: {created.stderr.strip()}")
    ws.on_exit(lambda: psql(ADMIN_URL, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    base, _, _ = ADMIN_URL.rpartition("/")
    return f"{base}/{name}"


def pages(port, token, path):
    """Every item of a paginated list."""
    items, cursor = [], None
    while True:
        query = f"{path}?limit=100" + (f"&cursor={cursor}" if cursor else "")
        r = expect(call(port, "GET", query, token=token), 200, f"GET {path}")
        page = r.json()
        items += page["items"]
        cursor = page.get("next_cursor")
        if not cursor:
            return items


def drill(backend):
    ws = Workspace(f"kill9-{backend}")
    try:
        database_url = postgres_database(ws) if backend == "postgres" else None
        kennel = Kennel(ws.path, database_url=database_url)
        ws.on_exit(kennel.stop)
        kennel.seed()
        kennel.start()
        puppies = kennel.puppy_ids(300)
        # Writers send inquiries, which need a confirmed address.
        users = [confirmed_account(kennel, f"writer{i}") for i in range(WRITERS)]

        def work(client, i):
            writer, n = divmod(i, 1_000_000)
            token, user = users[writer]
            client.token = token
            if n % 2 == 0:
                puppy = puppies[(n // 2 + writer * 50) % len(puppies)]
                return ("favorite", user, puppy), client.request("PUT", f"/v1/me/favorites/{puppy}")
            puppy = puppies[(n * 3 + writer) % len(puppies)]
            message = f"drill {writer}-{n} {uuid.uuid4().hex}"
            body = {"message": message, "contact_preference": "email"}
            return ("inquiry", user, message), client.request(
                "POST", f"/v1/puppies/{puppy}/inquiries", json_body=body)

        # A kill lands between two writes now and then (SQLite answers a write
        # in well under a millisecond); then the server is started again and
        # killed again, up to KILL_ATTEMPTS times. Every attempt's acknowledged
        # writes must survive; at least one kill must cut a write in flight.
        results, in_flight, attempts = [], [], 0
        while attempts < KILL_ATTEMPTS and not in_flight:
            attempts += 1
            if attempts > 1:
                log(f"kill {attempts - 1} fell between two writes; starting again")
                kennel.start()
            load = Load(kennel.port, WRITERS, work, timeout=10).start()
            time.sleep(WRITE_SECONDS)
            pid = kennel.proc.pid
            killed = time.monotonic()
            kennel.signal(signal.SIGKILL)
            code = kennel.wait_exit(10)
            check(code == -signal.SIGKILL, f"the server did not die of SIGKILL (exit status {code})")
            check(not pid_alive(pid), "the killed process is still there")
            refused = port_refuses(kennel.port)
            batch = load.stop()
            check(refused, f"port {kennel.port} still accepts connections after the kill")
            unexpected = [(lbl, r) for lbl, r in batch
                          if r.status is not None and r.status not in (201, 204)]
            check(not unexpected, f"a write was answered {unexpected[0][1].describe()} before the kill"
                  if unexpected else "")
            before_kill = [r for _, r in batch if r.ended < killed]
            check(all(r.status is not None for r in before_kill),
                  "a write failed before the kill: "
                  + next((r.describe() for r in before_kill if r.status is None), ""))
            in_flight = [(lbl, r) for lbl, r in batch
                         if r.status is None and r.sent is not None and r.sent < killed]
            results += batch
        check(in_flight, f"no write was in flight at any of {attempts} kills: "
                         "the kill did not cut the stream")

        acked_favorites = {(u, p) for (kind, u, p), r in results if kind == "favorite" and r.status == 204}
        acked_inquiries = {(u, m) for (kind, u, m), r in results if kind == "inquiry" and r.status == 201}
        check(len(acked_favorites) + len(acked_inquiries) >= 50,
              f"only {len(acked_favorites) + len(acked_inquiries)} acknowledged writes")
        log(f"{len(acked_favorites)} favourites and {len(acked_inquiries)} inquiries acknowledged, "
            f"{len(in_flight)} writes in flight at kill {attempts}")

        restarted = time.monotonic()
        kennel.start()
        restart_s = time.monotonic() - restarted
        found_favorites, found_inquiries = set(), set()
        for token, user in users:
            for item in pages(kennel.port, token, "/v1/me/favorites"):
                found_favorites.add((user, item["id"]))
            for item in pages(kennel.port, token, "/v1/me/inquiries"):
                found_inquiries.add((user, item["message"]))
        lost_favorites = acked_favorites - found_favorites
        lost_inquiries = acked_inquiries - found_inquiries
        check(not lost_favorites, f"{len(lost_favorites)} acknowledged favourites lost, "
                                  f"e.g. {sorted(lost_favorites)[0]}" if lost_favorites else "")
        check(not lost_inquiries, f"{len(lost_inquiries)} acknowledged inquiries lost or altered"
              if lost_inquiries else "")
        # Whatever else is there must be a write that was sent and never answered.
        # Any such write counts, not only those stamped before the kill: a client
        # thread may stamp `sent` a moment after its bytes reached the server.
        unanswered = [(lbl, r) for lbl, r in results if r.status is None and r.sent is not None]
        in_flight_labels = {(u, x) for (kind, u, x), _ in unanswered}
        extra = ((found_inquiries - acked_inquiries) | (found_favorites - acked_favorites)) \
            - in_flight_labels
        check(not extra, f"{len(extra)} writes read back that were never sent" if extra else "")
        integrity = ""
        if backend == "sqlite":
            db = sqlite3.connect(os.path.join(ws.path, "kennel.db"))
            try:
                result = db.execute("PRAGMA integrity_check").fetchall()
            finally:
                db.close()
            check(result == [("ok",)], f"the SQLite file is damaged after the kill: {result[:3]}")
            integrity = ", integrity_check ok"
        landed = len(((found_favorites - acked_favorites) | (found_inquiries - acked_inquiries))
                     & in_flight_labels)
        return (f"{backend}: {len(acked_favorites)} favourites + {len(acked_inquiries)} inquiries "
                f"acknowledged, all present after kill -9 and restart ({restart_s:.1f} s); "
                f"{len(in_flight)} writes were in flight at the kill ({landed} of them landed"
                f"{'' if attempts == 1 else f'; the first {attempts - 1} kill(s) fell between writes'}); "
                f"exit by SIGKILL, port refused{integrity}")
    finally:
        ws.close()


if __name__ == "__main__":
    backend = sys.argv[1] if len(sys.argv) > 1 else "sqlite"
    if backend not in ("sqlite", "postgres"):
        sys.exit("usage: kill9.py sqlite|postgres")
    sys.exit(main(f"kill9-{backend}", lambda: drill(backend)))
