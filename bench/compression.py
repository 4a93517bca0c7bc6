#!/usr/bin/env python3
"""What response compression costs and saves on the browse list: bytes on the
wire and server CPU per request for identity, gzip and brotli, for a 20- and a
100-item page.

Starts the release binary on a free loopback port over a freshly seeded SQLite
database (the 300-puppy demo catalogue), with the browse cache kept for 60 s so
every request serves the same cached bytes and the only difference between the
encodings is the encoding. One keep-alive connection, one request at a time;
the encodings are interleaved in rounds so drift hits them alike. Server CPU is
user + system time from /proc/<pid>/stat before and after each batch, summed
over the batches (the clock ticks are 10 ms, so only totals are precise).
Bounded: 2 pages x 3 encodings x rounds x batch requests (12,000 by default,
well under a minute).

Usage: bench/compression.py [--bin target/release/kennel] [--rounds 5] [--batch 400]
Prints a Markdown table for docs/performance.md.
"""
import argparse
import gzip
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

ENCODINGS = [("identity", "identity"), ("gzip", "gzip"), ("br", "br")]
PAGES = [20, 100]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(conn, path, accept):
    conn.request("GET", path, headers={"Accept-Encoding": accept})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path} ({accept}): {response.status}")
    return response.getheader("Content-Encoding") or "identity", body


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", help="kennel binary (default: build the release binary)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--batch", type=int, default=400, help="requests per encoding per round")
    args = ap.parse_args()
    exe = args.bin or common.build()
    work = tempfile.mkdtemp(prefix="kennel-compression-")
    proc = None
    try:
        port = free_port()
        env = common.env_for(f"sqlite://{work}/kennel.db", f"{work}/photos", port=port)
        env["BROWSE_CACHE_SECONDS"] = "60"
        subprocess.run([exe, "seed", "--demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        proc = subprocess.Popen([exe, "serve"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        common.wait_ready(port=port, proc=proc)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        rows = []
        for limit in PAGES:
            path = f"/v1/puppies?limit={limit}"
            sizes, cpu = {}, {name: [] for name, _ in ENCODINGS}
            _, identity = fetch(conn, path, "identity")
            if len(json.loads(identity)["items"]) != limit:
                raise SystemExit(f"{path}: fewer than {limit} puppies")
            for name, accept in ENCODINGS:
                encoding, body = fetch(conn, path, accept)
                if encoding != name:
                    raise SystemExit(f"{path}: asked for {name}, got {encoding}")
                if name == "gzip" and gzip.decompress(body) != identity:
                    raise SystemExit(f"{path}: gzip does not decode to the identity body")
                sizes[name] = len(body)
            for _ in range(args.rounds):
                for name, accept in ENCODINGS:
                    before = common.cpu_seconds(proc.pid)
                    for _ in range(args.batch):
                        fetch(conn, path, accept)
                    cpu[name].append((common.cpu_seconds(proc.pid) - before) / args.batch)
            base = statistics.mean(cpu["identity"])
            for name, _ in ENCODINGS:
                per_request = statistics.mean(cpu[name])
                rows.append((limit, name, sizes[name], sizes[name] / sizes["identity"],
                             per_request * 1e6, (per_request - base) * 1e6))
        conn.close()
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)

    requests = args.rounds * args.batch
    print(f"{common.now()}, commit {common.commit()}, {common.machine()}; "
          f"{requests} requests per page and encoding in {args.rounds} interleaved batches.\n")
    print("| page | encoding | bytes | ÷ identity | server CPU per request (µs) | "
          "compression CPU (µs) |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for limit, name, size, ratio, per_request, extra in rows:
        extra_text = "—" if name == "identity" else f"{extra:+.0f}"
        print(f"| {limit} items | {name} | {size:,} | {ratio:.2f} | {per_request:.0f} | "
              f"{extra_text} |")


if __name__ == "__main__":
    main()
