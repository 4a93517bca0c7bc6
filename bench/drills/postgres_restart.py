#!/usr/bin/env python3
"""Drill: Postgres restarted under browse load.

A private Postgres cluster (initdb on a free port, never the shared server) is
stopped while client threads browse, kept down for a few seconds, and started
again.

Claim: while it is down every browse request is answered 503 problem+json
within the pool's acquire timeout (no hang, no 500), `/readyz` answers 503
`not_ready` saying the database is unreachable, and once Postgres accepts
connections again the API serves 200s and `/readyz` is ready within 5 s,
without a restart of Kennel.

The server runs with the browse cache off (`BROWSE_CACHE_SECONDS=0`) so that
every browse request reaches the database; as deployed, a page fetched in the
2 s before the outage may still be served from the cache.

Fault check: Postgres's port refuses connections right after the stop and
right before the start, and its postmaster process is gone.
"""
import glob
import os
import pwd
import subprocess
import sys
import threading
import time

from common import (Client, Kennel, Load, Workspace, browse_paths, browse_work, check, free_port,
                    log, main, need, percentile, pid_alive, port_refuses, wait_until)

THREADS = 6
BASELINE_S = 1.5
DOWN_S = 7.0
AFTER_UP_S = 6.0
# A request may wait for a connection this long (the pool's acquire timeout
# is 3 s); anything slower counts as a hang.
ANSWER_BOUND = 4.5
RECOVERY_BOUND = 5.0


class Cluster:
    """A throw-away Postgres cluster owned by the postgres user (we may be root)."""

    def __init__(self, ws):
        bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                         key=lambda p: int(p.split("/")[-2]) if p.split("/")[-2].isdigit() else 0)
        bindirs = [b for b in bindirs if os.access(os.path.join(b, "initdb"), os.X_OK)]
        need(bindirs, "the PostgreSQL server (initdb, pg_ctl under /usr/lib/postgresql) is not installed")
        self.bin = bindirs[-1]
        self.root = os.getuid() == 0
        if self.root:
            try:
                self.owner = pwd.getpwnam("postgres")
            except KeyError:
                need(False, "there is no postgres user to run a private cluster as")
            # The postgres user must reach the data folder below the workspace.
            os.chmod(ws.path, 0o711)
        self.data = os.path.join(ws.path, "pgdata")
        self.logfile = os.path.join(ws.path, "postgres.log")
        os.makedirs(self.data, mode=0o700)
        if self.root:
            os.chown(self.data, self.owner.pw_uid, self.owner.pw_gid)
            open(self.logfile, "a").close()
            os.chown(self.logfile, self.owner.pw_uid, self.owner.pw_gid)
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, tool, *args, timeout=60):
        command = [os.path.join(self.bin, tool), *args]
        if self.root:
            command = ["runuser", "-u", "postgres", "--", *command]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        check(result.returncode == 0, f"{tool} failed: {(result.stderr or result.stdout).strip()[-300:]}")
        return result.stdout

    def init(self):
        self.run("initdb", "-D", self.data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                 "--no-sync", timeout=120)

    def start(self):
        options = (f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 "
                   f"-c fsync=off -c full_page_writes=off")
        self.run("pg_ctl", "-D", self.data, "-l", self.logfile, "-o", options, "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop")

    def postmaster_pid(self):
        try:
            with open(os.path.join(self.data, "postmaster.pid")) as f:
                return int(f.readline())
        except (OSError, ValueError):
            return None

    def cleanup(self):
        if self.postmaster_pid() is not None:
            try:
                self.stop("immediate")
            except Exception as e:  # noqa: BLE001
                log(f"could not stop the private cluster: {e}")


def drill():
    ws = Workspace("pg-restart")
    try:
        cluster = Cluster(ws)
        cluster.init()
        cluster.start()
        ws.on_exit(cluster.cleanup)
        # The browse cache off: every request must reach the database, or the
        # first 2 s of the outage would be answered from the cache (a kindness to
        # users, but not what this drill proves).
        kennel = Kennel(ws.path, database_url=cluster.url,
                        extra_env={"BROWSE_CACHE_SECONDS": "0"})
        ws.on_exit(kennel.stop)
        kennel.seed()
        kennel.start()
        ids = [p["id"] for p in kennel.first_puppies(10)]

        readiness = []
        polling = threading.Event()

        def poll_readiness():
            client = Client(kennel.port, timeout=15)
            while not polling.is_set():
                readiness.append(client.get("/readyz"))
                time.sleep(0.1)
            client.close()

        poller = threading.Thread(target=poll_readiness, daemon=True)
        load = Load(kennel.port, THREADS, browse_work(browse_paths(ids)), timeout=15).start()
        poller.start()
        time.sleep(BASELINE_S)

        postmaster = cluster.postmaster_pid()
        stopping = time.monotonic()
        cluster.stop("fast")
        down = time.monotonic()
        check(port_refuses(cluster.port), f"Postgres port {cluster.port} still accepts after the stop")
        check(postmaster is not None and not pid_alive(postmaster), "the postmaster is still running")
        log(f"Postgres stopped in {down - stopping:.2f} s")
        time.sleep(DOWN_S)
        check(port_refuses(cluster.port), "Postgres came back on its own during the outage")
        starting = time.monotonic()
        cluster.start()
        up = time.monotonic()
        check(wait_until(lambda: not port_refuses(cluster.port), 5), "Postgres did not come back")
        log(f"Postgres started in {up - starting:.2f} s")
        time.sleep(AFTER_UP_S)
        polling.set()
        poller.join(20)
        results = [r for _, r in load.stop()]
        probes = list(readiness)

        def ok(r):
            return r.status == 200

        baseline = [r for r in results if r.ended < stopping]
        check(len(baseline) >= 20 and all(ok(r) for r in baseline),
              "browse failed before the fault: "
              + next((r.describe() for r in baseline if not ok(r)), f"{len(baseline)} requests"))
        # Requests made while Postgres was down: 503 problem+json, quickly.
        outage = [r for r in results if r.started >= down and r.ended <= starting]
        check(len(outage) >= 4, f"only {len(outage)} requests during the outage")
        wrong = [r for r in outage if r.status != 503 or "problem+json" not in r.content_type]
        check(not wrong, f"{len(wrong)} of {len(outage)} requests during the outage were answered "
                         f"{wrong[0].describe()} instead of 503" if wrong else "")
        slowest = max(r.elapsed for r in outage)
        check(slowest <= ANSWER_BOUND, f"a request hung {slowest:.1f} s while Postgres was down "
                                       f"(bound {ANSWER_BOUND} s)")
        codes = sorted({r.code for r in outage})
        # Requests that straddled the stop or the start may succeed or get
        # 503, never anything else.
        straddling = [r for r in results if r.started < down and r.ended > stopping
                      or r.started < up and r.ended > starting]
        odd = [r for r in straddling if r.status not in (200, 503)]
        check(not odd, f"a request caught by the stop or start was answered {odd[0].describe()}"
              if odd else "")
        all_bad = [r for r in results if r.status not in (200, 503)]
        check(not all_bad, f"{len(all_bad)} requests answered {all_bad[0].describe()}" if all_bad else "")
        hung = [r for r in results if r.elapsed > ANSWER_BOUND]
        check(not hung, f"{len(hung)} requests took more than {ANSWER_BOUND} s, "
                        f"the slowest {max(r.elapsed for r in hung):.1f} s" if hung else "")

        # Readiness during the outage.
        ready_down = [r for r in probes if r.started >= down and r.ended <= starting]
        check(ready_down and all(r.status == 503 and r.code == "not_ready" for r in ready_down),
              "/readyz did not answer 503 not_ready throughout the outage: "
              + ", ".join(sorted({r.describe() for r in ready_down})))
        detail = ready_down[0].json().get("detail", "")
        check("database" in detail, f"/readyz does not say the database is the problem: {detail!r}")
        first_not_ready = min(r.ended for r in probes if r.ended >= stopping and r.status == 503) \
            - stopping
        check(max(r.elapsed for r in ready_down) <= 3.0, "/readyz took more than 3 s to answer")

        # Recovery: from Postgres accepting connections until every request started
        # after that point is answered 200 (browse and /readyz alike).
        after_up = [r for r in results + probes if r.started >= up]
        check(after_up and any(ok(r) for r in after_up), "nothing succeeded after Postgres came back")
        failing = [r for r in after_up if not ok(r)]
        first_ok = min(r.ended for r in after_up if ok(r))
        recovered = max([first_ok] + [r.ended for r in failing]) - up
        check(recovered <= RECOVERY_BOUND, f"recovered {recovered:.1f} s after Postgres came back "
                                           f"(bound {RECOVERY_BOUND:.0f} s); {len(failing)} failures")
        tail = [r for r in results if r.started >= up + recovered]
        check(len(tail) >= 20 and all(ok(r) for r in tail), "browse did not stay healthy after recovery")
        answered_503 = sum(1 for r in results if r.status == 503)
        return (f"{len(outage)} requests made during the {starting - down:.1f} s outage all 503 "
                f"({', '.join(c or '?' for c in codes)}), slowest {slowest:.2f} s, "
                f"p50 {percentile([r.elapsed for r in outage], 50):.2f} s; /readyz not_ready "
                f"{first_not_ready:.1f} s after the stop; recovered {recovered:.2f} s after Postgres "
                f"accepted connections (bound {RECOVERY_BOUND:.0f} s); {answered_503} 503s in all, 0 other "
                f"failures; {len(baseline)} + {len(tail)} requests 200 before and after; port refused "
                f"while down")
    finally:
        ws.close()


if __name__ == "__main__":
    sys.exit(main("postgres-restart", drill))
