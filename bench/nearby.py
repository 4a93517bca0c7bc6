#!/usr/bin/env python3
"""Browse near a place, as adopters send it: no two requests alike.

For each backend and catalogue size it loads a fresh database with the demo
generator (organisations dense around cities, sparse over regions, none
elsewhere), starts the release binary with the browse cache off (every request
reaches the database) and drives it with oha's random URLs, one new URL per
request:

  nearest/region    a random place over the organisations' region, a random
                    radius (5 km to 1,000 km) and random filters (size, good
                    with, age, coat, breed, text, several statuses; each with
                    probability 1/4), nearest first
  nearest/many      the same with each filter at probability 1/2 (about four a
                    request, often matching nothing within the radius)
  nearest/outside   the same, at random places with no organisation in reach
  near/newest       region places and filters, newest first (the default order)
  nearest/fixed     the fixed queries of earlier reports: Portland 50 km and
                    400 km nearest first; 38,-100 400 km newest first

Each workload runs on one connection (latency without queueing: p50, p99) and
on 32 (requests/s at saturation). The ceiling is bench/ceiling returning the
bytes of a typical nearest-first page from memory, measured in the same run;
"÷ ceiling" is the saturated requests/s of nearest/region divided by its.

Appends a dated table to docs/performance.md (unless --no-write).

Usage: bench/nearby.py [--sizes 10000,1000000] [--backends sqlite,postgres]
                       [--duration 5] [--keep DIR] [--seed-only] [--no-write]
--keep DIR keeps the loaded databases (SQLite files in DIR, Postgres databases
kennel_bench_nearby_SIZE) for the next run, whose seeding then only checks
them; --seed-only loads and stops, so a long load can run ahead of a quiet
moment for measuring. KENNEL_BIN names a release binary built earlier instead
of building one.
Needs cargo (builds kennel and the ceiling, installs oha when missing) and
Postgres at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432).
"""
import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
from common import PORT, CEILING_PORT  # noqa: E402

PG_ADMIN = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432")
PG_DB = "kennel_bench_nearby"  # one per size: _10000, _1000000
HOST = f"http://127.0.0.1:{PORT}"

# oha generates each request's URL from these regular expressions (in which a dot
# stands for itself).
REGION = r"near=(2[6-9]|3[0-9]|4[0-8]).[0-9]{4},-(7[1-9]|[89][0-9]|1[01][0-9]|12[0-3]).[0-9]{4}"
OUTSIDE = r"near=-(1[0-9]|[2-5][0-9]).[0-9]{4},-(1[0-7][0-9]|[2-9][0-9]).[0-9]{4}"
RADIUS = r"&radius_km=(5|10|25|50|100|250|400|1000)"


def filters(chance):
    """Optional filters, each present with probability 1/`chance` (oha picks one
    alternative of a group uniformly, the empty ones included)."""
    def optional(text):
        return "(" + text + "|" * (chance - 1) + ")"
    return "".join(optional(f) for f in [
        "&size=(small|medium|large|giant|small,medium)",
        "&good_with=(kids|dogs|cats|kids,cats)",
        "&age=(baby|young|adult|senior|baby,young)",
        "&coat=(short|medium|long|wire)",
        "&breed=(beagle|poodle|labrador-retriever|german-shepherd|mixed-breed)",
        "&q=(golden|calm|friendly|playful)",
        "&status=available,pending",
    ])


# Typical: about two filters a request. Many: about four, often matching nothing
# within the radius, the hardest case for a nearest-first search.
TYPICAL, MANY = filters(4), filters(2)

WORKLOADS = [
    ("nearest/region", "random places in the region, nearest first, ~2 filters",
     rf"{HOST}/v1/puppies\?{REGION}{RADIUS}&sort=distance{TYPICAL}"),
    ("nearest/many", "random places in the region, nearest first, ~4 filters",
     rf"{HOST}/v1/puppies\?{REGION}{RADIUS}&sort=distance{MANY}"),
    ("nearest/outside", "random places with no organisation in reach, nearest first",
     rf"{HOST}/v1/puppies\?{OUTSIDE}{RADIUS}&sort=distance{TYPICAL}"),
    ("near/newest", "random places in the region, newest first, ~2 filters",
     rf"{HOST}/v1/puppies\?{REGION}{RADIUS}{TYPICAL}"),
    ("fixed/portland-50", "Portland, 50 km, nearest first",
     f"http://127.0.0.1:{PORT}/v1/puppies?near=45.5152,-122.6784&radius_km=50&sort=distance"),
    ("fixed/portland-400", "Portland, 400 km, nearest first",
     f"http://127.0.0.1:{PORT}/v1/puppies?near=45.5152,-122.6784&radius_km=400&sort=distance"),
    ("fixed/sparse-400", "38,-100 (sparse), 400 km, newest first",
     f"http://127.0.0.1:{PORT}/v1/puppies?near=38,-100&radius_km=400"),
]


def oha_run(exe, url, duration, connections, random_url):
    cmd = [exe, "--no-tui", "--output-format", "json", "-z", f"{duration}s",
           "-c", str(connections)]
    if random_url:
        cmd += ["--rand-regex-url", "--max-repeat", "4"]
    out = json.loads(common.sh(cmd + [url], capture_output=True).stdout)
    pct = out["latencyPercentiles"]
    codes = out.get("statusCodeDistribution", {})
    ok = sum(n for code, n in codes.items() if code.startswith("2"))
    errors = sum(n for kind, n in out.get("errorDistribution", {}).items()
                 if "deadline" not in kind)
    elapsed = out["summary"].get("total") or duration
    return {"rps": ok / elapsed, "p50": pct["p50"] * 1000, "p99": pct["p99"] * 1000,
            "failed": sum(codes.values()) + errors - ok}


def load(backend, size, exe, work, keep):
    photos = os.path.join(work, f"photos-{backend}-{size}")
    if backend == "SQLite":
        database_url = f"sqlite://{work}/nearby-{size}.db"
    else:
        admin = f"{PG_ADMIN}/postgres"
        name = f"{PG_DB}_{size}"
        exists = common.sh(["psql", admin, "-tAc",
                            f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                           capture_output=True).stdout.strip() == "1"
        if not (keep and exists):
            common.sh(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"])
            common.sh(["psql", admin, "-qc", f"CREATE DATABASE {name}"])
        database_url = f"{PG_ADMIN}/{name}"
    env = common.env_for(database_url, photos)
    print(f"-- {backend}, {size:,} puppies: seeding", flush=True)
    t0 = time.monotonic()
    common.sh([exe, "seed", "--demo", "--puppies", str(size)], env=env,
              stdout=subprocess.DEVNULL)
    print(f"   seeded in {time.monotonic() - t0:.0f} s", flush=True)
    return dict(env, BROWSE_CACHE_SECONDS="0")


def bench(backend, size, exe, oha, work, args):
    env = load(backend, size, exe, work, args.keep)
    proc = subprocess.Popen([exe, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    results = {}
    try:
        common.wait_ready(proc=proc)
        sample = common.fetch_bytes(
            f"http://127.0.0.1:{PORT}/v1/puppies?near=45.5152,-122.6784&radius_km=100&sort=distance")
        for key, label, url in WORKLOADS:
            random_url = not key.startswith("fixed/")
            print(f"   {label}", flush=True)
            oha_run(oha, url, 1, 4, random_url)  # warm-up
            cpu0 = common.cpu_seconds(proc.pid)
            one = oha_run(oha, url, args.duration, 1, random_url)
            cpu_ms = (common.cpu_seconds(proc.pid) - cpu0) * 1000 / max(
                1, one["rps"] * args.duration)
            sat = oha_run(oha, url, args.duration, 32, random_url)
            results[key] = {"one": one, "sat": sat, "cpu_ms": cpu_ms}
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=15)
    if backend == "SQLite" and not args.keep:
        for suffix in ("", "-wal", "-shm"):
            path = f"{work}/nearby-{size}.db{suffix}"
            if os.path.exists(path):
                os.remove(path)
    return results, sample


def ceiling(oha, work, body, args):
    folder = os.path.join(work, "ceiling")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "nearest.json"), "wb") as f:
        f.write(body)
    exe = os.environ.get("KENNEL_CEILING_BIN") or common.build("kennel-ceiling", "kennel-ceiling")
    proc = subprocess.Popen([exe, folder, str(CEILING_PORT)])
    try:
        common.wait_ready(CEILING_PORT, proc=proc)
        url = f"http://127.0.0.1:{CEILING_PORT}/nearest.json"
        oha_run(oha, url, 1, 4, False)
        return oha_run(oha, url, args.duration, 32, False)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=10)


def report(runs, ceiling_sat, sample_bytes, args):
    lines = [
        f"\n## Browse near a place, run of {common.now()}, commit {common.commit()}\n",
        f"`bench/nearby.py --sizes {args.sizes} --backends {args.backends} --duration "
        f"{args.duration}`. Machine: {common.machine()}. oha on loopback, sharing the cores "
        "with the server; the browse cache off, so every request reaches the database. "
        "Random workloads draw a new URL for every request (place, radius, filters). "
        "*One connection*: latency without queueing, and server CPU per request. "
        "*32 connections*: requests/s at saturation. Latencies in ms.\n",
        f"Ceiling (bench/ceiling returning a {sample_bytes:,}-byte nearest-first page from "
        f"memory, 32 connections): {ceiling_sat['rps']:,.0f} req/s.\n",
        "| database | puppies | workload | p50 | p99 | CPU ms/req | 32 conn req/s | "
        "32 conn p99 | ÷ ceiling | failed |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    labels = {key: label for key, label, _ in WORKLOADS}
    for (backend, size), results in runs:
        for key, r in results.items():
            ratio = r["sat"]["rps"] / ceiling_sat["rps"] if ceiling_sat["rps"] else float("nan")
            lines.append(
                f"| {backend} | {size:,} | {labels[key]} | {r['one']['p50']:.2f} | "
                f"{r['one']['p99']:.2f} | {r['cpu_ms']:.2f} | {r['sat']['rps']:,.0f} | "
                f"{r['sat']['p99']:.2f} | {ratio:.2f} | "
                f"{r['one']['failed'] + r['sat']['failed']} |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--duration", type=float, default=5)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--keep", metavar="DIR")
    parser.add_argument("--seed-only", action="store_true")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    backends = [{"sqlite": "SQLite", "postgres": "Postgres"}[b]
                for b in args.backends.split(",")]
    # KENNEL_BIN: a binary built earlier (the drills take it the same way).
    exe = os.environ.get("KENNEL_BIN") or common.build()
    oha = common.ensure_oha()
    if args.seed_only:
        work = args.keep or tempfile.mkdtemp(prefix="kennel-nearby-")
        for backend in backends:
            for size in sizes:
                load(backend, size, exe, work, args.keep)
        return
    runs, sample = [], None
    with tempfile.TemporaryDirectory(prefix="kennel-nearby-") as scratch:
        work = args.keep or scratch
        for backend in backends:
            for size in sizes:
                results, body = bench(backend, size, exe, oha, work, args)
                sample = sample or body
                runs.append(((backend, size), results))
        ceiling_sat = ceiling(oha, work, sample, args)
    table = report(runs, ceiling_sat, len(sample), args)
    print(table)
    if not args.no_write:
        with open(os.path.join(common.REPO, "docs", "performance.md"), "a") as f:
            f.write(table)


if __name__ == "__main__":
    main()
