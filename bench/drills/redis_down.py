#!/usr/bin/env python3
"""Drill: Redis (shared rate limits) hangs, then dies, under browse load.

A private redis-server is frozen (SIGSTOP: the port accepts, nothing answers),
then killed (SIGKILL: the port refuses), then started again, while client
threads browse.

Claim: every browse request is served (200, never 429 or 5xx) in every phase,
none waits more than a bound while Redis hangs, the limits still apply per
instance while Redis is away (sign-in attempts over the auth limit get 429),
and the limits are shared again once Redis is back.

Fault check: while frozen, Redis accepts a connection but does not answer
PING; once killed, its port refuses; Kennel counted Redis failures
(`rate_limit_redis_failures_total`); while healthy, Redis held Kennel's
rate-limit keys.
"""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

from common import (HOST, Kennel, Load, Workspace, browse_paths, browse_work, call, check,
                    free_port, log, main, need, percentile, port_refuses, wait_until)

THREADS = 4
PHASE_S = 2.5
AUTH_LIMIT = 5
# Kennel gives Redis 2 x 250 ms per decision before it decides locally.
HANG_BOUND = 1.5


def redis(port, *args, timeout=1.0):
    """One RESP command; returns the reply (str, int, list or None)."""
    with socket.create_connection((HOST, port), timeout=timeout) as s:
        s.settimeout(timeout)
        payload = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
        s.sendall(payload.encode())
        reader = s.makefile("rb")

        def read():
            line = reader.readline()
            if not line:
                raise ConnectionError("Redis closed the connection")
            kind, rest = line[:1], line[1:].rstrip(b"\r\n")
            if kind == b"+":
                return rest.decode()
            if kind == b"-":
                raise RuntimeError(rest.decode())
            if kind == b":":
                return int(rest)
            if kind == b"$":
                n = int(rest)
                return None if n < 0 else reader.read(n + 2)[:-2].decode()
            if kind == b"*":
                return [read() for _ in range(int(rest))]
            raise RuntimeError(f"unexpected reply {line!r}")

        return read()


def answers_ping(port, timeout=0.5):
    try:
        return redis(port, "PING", timeout=timeout) == "PONG"
    except OSError:
        return False


def accepts_but_hangs(port):
    """The frozen state: TCP connects, PING gets no reply in time."""
    try:
        with socket.create_connection((HOST, port), timeout=1) as s:
            s.settimeout(0.5)
            s.sendall(b"*1\r\n$4\r\nPING\r\n")
            try:
                return s.recv(16) == b""  # closed without a reply would be odd
            except socket.timeout:
                return True
    except OSError:
        return False


def rate_limit_keys(port):
    return redis(port, "KEYS", "kennel:rl:*")


def start_redis(ws, port):
    out = open(os.path.join(ws.path, "redis.log"), "ab")
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", HOST, "--save", "",
                             "--appendonly", "no", "--protected-mode", "no"],
                            stdout=out, stderr=subprocess.STDOUT)
    out.close()
    check(wait_until(lambda: answers_ping(port), 10), "redis-server did not start")
    return proc


def metric(port, name):
    r = call(port, "GET", "/metrics", timeout=5)
    check(r.status == 200, f"metrics listener answered {r.describe()}")
    for line in r.body.decode().splitlines():
        if line.startswith(name) and not line.startswith("#"):
            return float(line.split()[-1])
    return 0.0


def drill():
    need(shutil.which("redis-server"), "redis-server is not installed")
    ws = Workspace("redis")
    procs = []

    def kill_redis():
        for p in procs:
            if p.poll() is None:
                p.kill()
                p.wait()

    ws.on_exit(kill_redis)
    try:
        redis_port, metrics_port = free_port(), free_port()
        procs.append(start_redis(ws, redis_port))
        kennel = Kennel(ws.path, extra_env={
            "REDIS_URL": f"redis://{HOST}:{redis_port}",
            "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "1000000",
            "RATE_LIMIT_AUTH_PER_MINUTE": str(AUTH_LIMIT),
            "METRICS_PORT": str(metrics_port),
        })
        ws.on_exit(kennel.stop)
        kennel.seed()
        kennel.start()
        ids = [p["id"] for p in kennel.first_puppies(10)]
        load = Load(kennel.port, THREADS, browse_work(browse_paths(ids)), timeout=15).start()
        marks = {"healthy": time.monotonic()}
        time.sleep(PHASE_S)
        keys = rate_limit_keys(redis_port)
        check(any(k.startswith("kennel:rl:anonymous:") for k in keys),
              f"Kennel keeps no rate-limit state in Redis (keys: {keys[:5]}): limits are not shared")

        marks["frozen"] = time.monotonic()
        procs[0].send_signal(signal.SIGSTOP)
        check(accepts_but_hangs(redis_port), "the frozen Redis still answers PING")
        time.sleep(PHASE_S)

        marks["killed"] = time.monotonic()
        procs[0].send_signal(signal.SIGKILL)
        code = procs[0].wait(5)
        check(code == -signal.SIGKILL, f"redis-server did not die of SIGKILL ({code})")
        check(port_refuses(redis_port), f"Redis port {redis_port} does not refuse after the kill")
        # Sign-in attempts over the auth limit, while Redis is gone: the
        # per-instance limiter must still say no.
        attempts = [call(kennel.port, "POST", "/v1/auth/login",
                         json_body={"email": "nobody@drill.example", "password": "wrong-password-1"})
                    for _ in range(AUTH_LIMIT + 3)]
        statuses = [r.status for r in attempts]
        time.sleep(PHASE_S)

        marks["restarted"] = time.monotonic()
        procs.append(start_redis(ws, redis_port))
        shared_again = wait_until(
            lambda: any(k.startswith("kennel:rl:anonymous:") for k in rate_limit_keys(redis_port)), 6)
        back_after = time.monotonic() - marks["restarted"]
        time.sleep(1.0)
        marks["end"] = time.monotonic()
        results = [r for _, r in load.stop()]
        failures = metric(metrics_port, "rate_limit_redis_failures_total")

        phases = ["healthy", "frozen", "killed", "restarted"]
        summary = []
        for name, nxt in zip(phases, phases[1:] + ["end"]):
            inside = [r for r in results if marks[name] <= r.started < marks[nxt]]
            bad = [r for r in inside if r.status != 200]
            check(len(inside) >= 10, f"only {len(inside)} requests while Redis was {name}")
            check(not bad, f"{len(bad)} of {len(inside)} requests failed while Redis was {name}: "
                           f"{bad[0].describe()}" if bad else "")
            summary.append(f"{name} {len(inside)} (max {max(r.elapsed for r in inside) * 1000:.0f} ms)")
        frozen = [r for r in results if marks["frozen"] <= r.started < marks["killed"]]
        worst = max(r.elapsed for r in frozen)
        check(worst <= HANG_BOUND, f"a request waited {worst:.2f} s on the frozen Redis "
                                   f"(bound {HANG_BOUND} s)")
        check(failures >= 1, "Kennel counted no Redis failure: the fault did not reach it")
        check(all(s in (401, 429) for s in statuses) and 429 in statuses,
              f"sign-ins over the limit with Redis down were answered {statuses}, expected 401s then 429")
        check(shared_again, "rate-limit keys did not reappear in Redis after it came back")
        log(f"login statuses with Redis down: {statuses}")
        return (f"all {len(results)} browse requests 200: {', '.join(summary)}; p99 while frozen "
                f"{percentile([r.elapsed for r in frozen], 99) * 1000:.0f} ms (bound {HANG_BOUND} s); "
                f"auth limit still enforced per instance ({statuses.count(429)} x 429); "
                f"{failures:.0f} Redis failures counted; shared again {back_after:.1f} s after restart; "
                f"frozen Redis did not answer PING, killed Redis refused connections")
    finally:
        ws.close()


if __name__ == "__main__":
    sys.exit(main("redis-down", drill))
