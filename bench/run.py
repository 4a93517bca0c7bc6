#!/usr/bin/env python3
"""Kennel browse benchmark: loads N puppies into SQLite and Postgres, then
measures list (filtered), list near + radius, and detail with wrk on loopback,
plus cold start (exec -> first 200 from /readyz, median of 20) and idle RSS.
Appends a dated table to docs/performance.md.

Usage: bench/run.py [--puppies 100000] [--duration 10] [--no-write]
Needs: a release build (built here), wrk (installed with apt if missing), and
Postgres at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432).
"""
import argparse
import datetime
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = 3917
PG_ADMIN = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, **kw)


def ensure_wrk():
    if shutil.which("wrk"):
        return
    sh(["apt-get", "install", "-y", "-q", "wrk"], stdout=subprocess.DEVNULL)


def binary():
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
    sh(["cargo", "build", "--release", "--locked", "-p", "kennel"], cwd=REPO)
    return os.path.join(target, "release", "kennel")


def env_for(database_url, photos):
    env = dict(os.environ)
    env.update({
        "APP_ENV": "local", "DATABASE_URL": database_url, "STORAGE_URL": f"file://{photos}",
        "PORT": str(PORT), "HOST": "127.0.0.1", "LOG_LEVEL": "warn",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{PORT}",
        # All load comes from one loopback address: the limiter still runs on
        # every request (its cost is measured) but never rejects.
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000",
        "RATE_LIMIT_USER_PER_MINUTE": "100000000",
    })
    return env


def wait_ready(timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.002)
    raise SystemExit("server did not become ready")


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def parse_latency(text, pct):
    m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(path, duration, connections=32):
    threads = "-t1" if connections == 1 else "-t2"
    out = sh(["wrk", threads, f"-c{connections}", f"-d{duration}s", "--latency",
              f"http://127.0.0.1:{PORT}{path}"], capture_output=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "p50": parse_latency(out, 50), "p99": parse_latency(out, 99),
            "errors": int(errors.group(1)) if errors else 0}


def cold_start(exe, env, runs=20):
    times = []
    for _ in range(runs):
        start = time.monotonic()
        proc = subprocess.Popen([exe, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready()
        times.append((time.monotonic() - start) * 1000)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    return statistics.median(times)


def bench_backend(name, exe, database_url, photos, puppies, duration):
    env = env_for(database_url, photos)
    t0 = time.monotonic()
    sh([exe, "seed", "--demo", "--puppies", str(puppies)], env=env, stdout=subprocess.DEVNULL)
    seed_s = time.monotonic() - t0
    proc = subprocess.Popen([exe, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready()
        time.sleep(2)
        idle = rss_kb(proc.pid)
        with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/v1/puppies?limit=1") as r:
            pid = json.load(r)["items"][0]["id"]
        paths = {
            "list (size=medium, good_with=kids)": "/v1/puppies?size=medium&good_with=kids",
            "list near Portland, 50 km": "/v1/puppies?near=45.5152,-122.6784&radius_km=50",
            "text search (q=golden)": "/v1/puppies?q=golden",
            "detail": f"/v1/puppies/{pid}",
        }
        # One connection: the latency of a request that never queues. 32
        # connections: throughput at saturation (latency there is mostly queueing).
        results = {name: {"one": wrk(path, duration, 1), "sat": wrk(path, duration)}
                   for name, path in paths.items()}
        busy = rss_kb(proc.pid)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    cold = cold_start(exe, env)
    return {"backend": name, "seed_s": seed_s, "idle_rss_mb": idle / 1024, "busy_rss_mb": busy / 1024,
            "cold_start_ms": cold, "endpoints": results}


def machine():
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {cpu}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--puppies", type=int, default=100_000)
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    ensure_wrk()
    exe = binary()
    work = tempfile.mkdtemp(prefix="kennel-bench-")
    photos = os.path.join(work, "photos")
    runs = []
    try:
        runs.append(bench_backend("SQLite", exe, f"sqlite://{work}/kennel.db", photos, args.puppies, args.duration))
        db = "kennel_bench"
        sh(["psql", f"{PG_ADMIN}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])
        sh(["psql", f"{PG_ADMIN}/postgres", "-qc", f"CREATE DATABASE {db}"])
        try:
            runs.append(bench_backend("Postgres", exe, f"{PG_ADMIN}/{db}", photos, args.puppies, args.duration))
        finally:
            sh(["psql", f"{PG_ADMIN}/postgres", "-qc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])
    finally:
        shutil.rmtree(work, ignore_errors=True)

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True,
                            capture_output=True).stdout.strip() or "unknown"
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"\n## Run of {date}, commit {commit}\n",
             f"Machine: {machine()}. {args.puppies:,} puppies. wrk on loopback, "
             f"{args.duration} s per endpoint and connection count.\n",
             "| backend | endpoint | 1 conn p50 ms | 1 conn p99 ms | 32 conn requests/s | 32 conn p99 ms | non-2xx |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for run in runs:
        for endpoint, r in run["endpoints"].items():
            one, sat = r["one"], r["sat"]
            lines.append(f"| {run['backend']} | {endpoint} | {one['p50']:.2f} | {one['p99']:.2f} | "
                         f"{sat['rps']:.0f} | {sat['p99']:.2f} | {one['errors'] + sat['errors']} |")
    lines += ["", "| backend | seed time s | cold start ms (median of 20) | idle RSS MB | RSS after load MB |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for run in runs:
        lines.append(f"| {run['backend']} | {run['seed_s']:.1f} | {run['cold_start_ms']:.1f} | "
                     f"{run['idle_rss_mb']:.1f} | {run['busy_rss_mb']:.1f} |")
    table = "\n".join(lines) + "\n"
    print(table)
    if not args.no_write:
        with open(os.path.join(REPO, "docs", "performance.md"), "a") as f:
            f.write(table)


if __name__ == "__main__":
    sys.exit(main())
