#!/usr/bin/env python3
"""Kennel's benchmark, side by side with the machine's ceiling.

For each backend (SQLite, Postgres) and catalogue size (10,000, 100,000 and
1,000,000 puppies by default) it loads a fresh database, starts the release
binary and measures seven endpoints with oha on loopback:

  list (filtered), list near + radius, text search, detail, a photo variant,
  GET /v1/config, and a signed-in user's favourites list

first with the browse cache off, so every request reaches the database (one
connection: latency without queueing; 32 connections: requests/s), then as
deployed (a fixed 1,000 req/s with latency measured from when each request
was due, so queueing counts; and saturation). The ceiling is bench/ceiling, a bare
axum server that returns the very bytes Kennel returned for each endpoint from
memory; kennel / ceiling is the share of the best this machine could do.
Also: cold start (exec -> first 200 from /readyz, median of 20) for each size,
idle RSS, peak RSS under load, and the container image's size.

Appends a dated table to docs/performance.md (unless --no-write).

Usage: bench/run.py [--sizes 10000,100000,1000000] [--duration 5]
                    [--backends sqlite,postgres] [--rate 1000] [--no-write]
Needs: cargo (builds kennel and the ceiling in release mode; installs oha when
missing) and Postgres at BENCH_DATABASE_URL (default
postgres://postgres@127.0.0.1:5432).
"""
import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import PORT, CEILING_PORT  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "kennel_bench"
BASE = f"http://127.0.0.1:{PORT}"

# key, label, and whether the request is signed in
ENDPOINTS = [
    ("list", "list (size=medium, good_with=kids)", False),
    ("near", "list near Portland, 50 km", False),
    ("search", "text search (q=golden)", False),
    ("detail", "detail", False),
    ("photo", "photo variant (640 px JPEG)", False),
    ("config", "GET /v1/config", False),
    ("favorites", "favourites list (signed in, 10 saved)", True),
]
FAVORITES = 10


def paths_for(token_holder):
    """Resolves the endpoints' paths against the running server and signs up
    the user whose favourites are listed. Returns ({key: path}, token)."""
    page = common.request_json(f"{BASE}/v1/puppies?limit={FAVORITES}")
    ids = [item["id"] for item in page["items"]]
    detail = common.request_json(f"{BASE}/v1/puppies/{ids[0]}")
    photo_url = next(v["url"] for v in detail["photos"][0]["variants"] if v["width"] == 640)
    account = {"email": f"bench-{token_holder}@example.com", "password": "bench-password-123"}
    common.request_json(f"{BASE}/v1/auth/register", "POST", {**account, "display_name": "Bench"})
    token = common.request_json(f"{BASE}/v1/auth/login", "POST", account)["token"]
    for puppy in ids:
        common.request_json(f"{BASE}/v1/me/favorites/{puppy}", "PUT", token=token)
    return {
        "list": "/v1/puppies?size=medium&good_with=kids",
        "near": "/v1/puppies?near=45.5152,-122.6784&radius_km=50",
        "search": "/v1/puppies?q=golden",
        "detail": f"/v1/puppies/{ids[0]}",
        "photo": photo_url.removeprefix(BASE),
        "config": "/v1/config",
        "favorites": "/v1/me/favorites",
    }, token


def measure(oha, url, duration, rate, token=None):
    """Served as configured (the browse cache on): a fixed rate and saturation."""
    # A short warm-up so the first measured requests do not pay for cold caches.
    common.oha(oha, url, 1, 4, token=token)
    return {
        "fixed": common.oha(oha, url, duration, 16, rate=rate, token=token),
        "sat": common.oha(oha, url, duration, 32, token=token),
    }


def measure_uncached(oha, url, duration, token=None):
    """With the browse cache off: what a request that reaches the database costs,
    alone (one connection) and at saturation. This is where data size shows."""
    common.oha(oha, url, 1, 4, token=token)
    return {
        "one": common.oha(oha, url, duration, 1, token=token),
        "sat_db": common.oha(oha, url, duration, 32, token=token),
    }


def cold_start(exe, env, runs=20):
    times = []
    for _ in range(runs):
        start = time.monotonic()
        proc = subprocess.Popen([exe, "serve"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        common.wait_ready(proc=proc)
        times.append((time.monotonic() - start) * 1000)
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    return statistics.median(times)


def reset_postgres():
    admin = f"{PG_ADMIN}/postgres"
    common.sh(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"])
    common.sh(["psql", admin, "-qc", f"CREATE DATABASE {PG_DB}"])


def bench_dataset(backend, size, exe, oha, work, args, bodies):
    photos = os.path.join(work, f"photos-{backend}-{size}")
    if backend == "SQLite":
        database_url = f"sqlite://{work}/kennel-{size}.db"
    else:
        reset_postgres()
        database_url = f"{PG_ADMIN}/{PG_DB}"
    env = common.env_for(database_url, photos)
    print(f"-- {backend}, {size:,} puppies: seeding", flush=True)
    t0 = time.monotonic()
    common.sh([exe, "seed", "--demo", "--puppies", str(size)], env=env, stdout=subprocess.DEVNULL)
    seed_s = time.monotonic() - t0
    results = {key: {} for key, _, _ in ENDPOINTS}

    # First with the browse cache off: the cost of reaching the database.
    proc = subprocess.Popen([exe, "serve"], env=dict(env, BROWSE_CACHE_SECONDS="0"),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        common.wait_ready(proc=proc)
        paths, token = paths_for(f"{backend.lower()}-{size}")
        for key, label, signed_in in ENDPOINTS:
            print(f"   {label} (uncached)", flush=True)
            results[key].update(measure_uncached(oha, BASE + paths[key], args.duration,
                                                 token if signed_in else None))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)

    # Then as deployed.
    proc = subprocess.Popen([exe, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        common.wait_ready(proc=proc)
        time.sleep(2)
        idle = common.proc_status_kb(proc.pid, "VmRSS")
        for key, label, signed_in in ENDPOINTS:
            url = BASE + paths[key]
            tok = token if signed_in else None
            if key not in bodies:
                ext = ".jpg" if key == "photo" else ".json"
                bodies[key] = (key + ext, common.fetch_bytes(url, tok))
            print(f"   {label}", flush=True)
            results[key].update(measure(oha, url, args.duration, args.rate, tok))
        peak = common.proc_status_kb(proc.pid, "VmHWM")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    cold = cold_start(exe, env)
    if backend == "SQLite":
        for suffix in ("", "-wal", "-shm"):
            path = f"{work}/kennel-{size}.db{suffix}"
            if os.path.exists(path):
                os.remove(path)
    shutil.rmtree(photos, ignore_errors=True)
    return {"backend": backend, "size": size, "seed_s": seed_s, "idle_mb": idle / 1024,
            "peak_mb": peak / 1024, "cold_ms": cold, "endpoints": results}


def bench_ceiling(oha, work, bodies, args):
    folder = os.path.join(work, "ceiling")
    os.makedirs(folder, exist_ok=True)
    for name, data in bodies.values():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)
    exe = common.build("kennel-ceiling", "kennel-ceiling")
    proc = subprocess.Popen([exe, folder, str(CEILING_PORT)])
    try:
        common.wait_ready(CEILING_PORT, proc=proc)
        print("-- ceiling", flush=True)
        results = {}
        for key, _, _ in ENDPOINTS:
            url = f"http://127.0.0.1:{CEILING_PORT}/{bodies[key][0]}"
            results[key] = measure(oha, url, args.duration, args.rate)
            results[key].update(measure_uncached(oha, url, args.duration))
        return results
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)


def image_size(exe, work):
    """The image is FROM scratch: its size is that of the folder
    deploy/image/build-rootfs.sh lays out (binary, glibc, CA roots)."""
    out = os.path.join(work, "image")
    common.sh([os.path.join(common.REPO, "deploy/image/build-rootfs.sh"), exe, out],
              stdout=subprocess.DEVNULL)
    total = 0
    for root, _, files in os.walk(os.path.join(out, "rootfs")):
        for name in files:
            path = os.path.join(root, name)
            if not os.path.islink(path):
                total += os.path.getsize(path)
    return total


def fmt(value, digits=2):
    return "—" if value != value else f"{value:.{digits}f}"


def report(runs, ceiling, image_bytes, args):
    sizes = sorted({r["size"] for r in runs})
    lines = [
        f"\n## Run of {common.now()}, commit {args.commit}\n",
        f"Machine: {common.machine()}. oha on loopback (sharing the 2 cores with the server), "
        f"{args.duration} s per measurement. *Database* columns: the browse cache off "
        "(`BROWSE_CACHE_SECONDS=0`), so every request reaches the database: one connection "
        "(latency without queueing) and saturation (32 connections). *As deployed* columns: "
        f"default settings (list and detail cached for 2 s); a fixed {args.rate:,} req/s over "
        "16 connections, latency counted from when each request was due (queueing included); "
        "and saturation. Latencies in ms. \"÷ ceiling\" is requests/s at saturation, as "
        "deployed, divided by the ceiling server's for the same bytes.\n",
        f"| backend | puppies | endpoint | database: 1 conn p50 | database: 1 conn p99 | "
        f"database: saturated req/s | {args.rate:,}/s p50 | {args.rate:,}/s p99 "
        f"| {args.rate:,}/s p99.9 | saturated req/s | saturated p99 | ÷ ceiling | failed |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    labels = {key: label for key, label, _ in ENDPOINTS}

    def row(backend, size, key, r, ratio):
        one, sat_db, fixed, sat = r["one"], r["sat_db"], r["fixed"], r["sat"]
        failed = one["failed"] + sat_db["failed"] + fixed["failed"] + sat["failed"]
        return (f"| {backend} | {size} | {labels[key]} | {fmt(one['p50'])} | {fmt(one['p99'])} | "
                f"{sat_db['rps']:,.0f} | {fmt(fixed['p50'])} | "
                f"{fmt(fixed['p99'])} | {fmt(fixed['p999'])} | {sat['rps']:,.0f} | "
                f"{fmt(sat['p99'])} | {ratio} | {failed} |")

    for key, r in ceiling.items():
        lines.append(row("ceiling", "—", key, r, "1.00"))
    for run in runs:
        for key, r in run["endpoints"].items():
            ratio = r["sat"]["rps"] / ceiling[key]["sat"]["rps"] if ceiling[key]["sat"]["rps"] else float("nan")
            lines.append(row(run["backend"], f"{run['size']:,}", key, r, fmt(ratio)))

    lines += ["", "| backend | puppies | seed s | cold start ms (median of 20) | idle RSS MB | peak RSS under load MB |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for run in runs:
        lines.append(f"| {run['backend']} | {run['size']:,} | {run['seed_s']:.1f} | {run['cold_ms']:.1f} | "
                     f"{run['idle_mb']:.1f} | {run['peak_mb']:.1f} |")

    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        lines += ["", f"Growth with data: database one-connection p50 at {large:,} ÷ at "
                  f"{small:,} puppies (flat is 1.0; the target is at most 1.5).", "",
                  "| endpoint | " + " | ".join(sorted({r['backend'] for r in runs})) + " |",
                  "| --- |" + " ---: |" * len({r['backend'] for r in runs})]
        for key, label, _ in ENDPOINTS:
            cells = []
            for backend in sorted({r["backend"] for r in runs}):
                by_size = {r["size"]: r for r in runs if r["backend"] == backend}
                if small in by_size and large in by_size:
                    a = by_size[small]["endpoints"][key]["one"]["p50"]
                    b = by_size[large]["endpoints"][key]["one"]["p50"]
                    cells.append(fmt(b / a) if a else "—")
                else:
                    cells.append("—")
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if image_bytes:
        lines += ["", f"Container image (FROM scratch: binary, glibc, CA roots): "
                  f"{image_bytes / 1e6:.1f} MB."]
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000")
    ap.add_argument("--backends", default="sqlite,postgres")
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--rate", type=int, default=1000)
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",")]
    except ValueError:
        ap.error(f"--sizes must be whole numbers separated by commas, got {args.sizes!r}")
    backends = []
    for name in args.backends.split(","):
        if name not in ("sqlite", "postgres"):
            ap.error(f"unknown backend {name!r} (choose sqlite, postgres)")
        backends.append("SQLite" if name == "sqlite" else "Postgres")

    oha = common.ensure_oha()
    exe = common.build()
    args.commit = common.commit()  # what the binary was built from
    work = tempfile.mkdtemp(prefix="kennel-bench-")
    runs, bodies = [], {}
    try:
        for backend in backends:
            try:
                for size in sizes:
                    runs.append(bench_dataset(backend, size, exe, oha, work, args, bodies))
            finally:
                if backend == "Postgres":
                    common.sh(["psql", f"{PG_ADMIN}/postgres", "-qc",
                               f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)"])
        ceiling = bench_ceiling(oha, work, bodies, args)
        image_bytes = image_size(exe, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    table = report(runs, ceiling, image_bytes, args)
    print(table)
    if not args.no_write:
        with open(os.path.join(common.REPO, "docs", "performance.md"), "a") as f:
            f.write(table)


if __name__ == "__main__":
    sys.exit(main())
