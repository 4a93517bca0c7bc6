#!/usr/bin/env python3
"""What the protective layers cost on the browse path: the same benchmark
against two builds, interleaved (A B A B ...) on identical data.

The candidate runs with its rate limiter on (huge limits, so it counts every
request but never rejects), security headers, load shedding, the request
timeout and metrics; the baseline is a build from before those layers.

Usage: bench/overhead.py --baseline BIN --candidate BIN [--puppies 10000]
                         [--rounds 3] [--duration 5] [--label TEXT] [--no-write]
Appends a dated table to docs/performance.md.
"""
import argparse
import datetime
import os
import statistics
import subprocess
import sys
import tempfile
import urllib.request
import json

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as bench  # noqa: E402  (the shared helpers of bench/run.py)

PATHS = {
    "list (size=medium, good_with=kids)": "/v1/puppies?size=medium&good_with=kids",
    "detail": None,  # filled in with a real id
}


def serve(exe, env):
    proc = subprocess.Popen([exe, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    bench.wait_ready()
    return proc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", required=True)
    ap.add_argument("--candidate", required=True)
    ap.add_argument("--puppies", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--label", default="")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    bench.ensure_wrk()
    work = tempfile.mkdtemp(prefix="kennel-overhead-")
    builds = {"baseline": args.baseline, "candidate": args.candidate}
    envs = {}
    for name, exe in builds.items():
        env = bench.env_for(f"sqlite://{work}/{name}.db", f"{work}/photos-{name}")
        subprocess.run([exe, "seed", "--demo", "--puppies", str(args.puppies)], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        envs[name] = env
    proc = serve(args.candidate, envs["candidate"])
    with urllib.request.urlopen(f"http://127.0.0.1:{bench.PORT}/v1/puppies?limit=1") as r:
        PATHS["detail"] = f"/v1/puppies/{json.load(r)['items'][0]['id']}"
    proc.terminate()
    proc.wait(timeout=10)

    samples = {(b, p): [] for b in builds for p in PATHS}
    for round_ in range(args.rounds):
        order = list(builds) if round_ % 2 == 0 else list(reversed(list(builds)))
        for name in order:
            proc = serve(builds[name], envs[name])
            try:
                for label, path in PATHS.items():
                    result = bench.wrk(path, args.duration, 1)
                    if result["errors"]:
                        raise SystemExit(f"{name} {label}: {result['errors']} non-2xx responses")
                    samples[(name, label)].append(result)
            finally:
                proc.terminate()
                proc.wait(timeout=10)

    rows = []
    for label in PATHS:
        base = statistics.median(r["p50"] for r in samples[("baseline", label)])
        cand = statistics.median(r["p50"] for r in samples[("candidate", label)])
        base_rps = statistics.median(r["rps"] for r in samples[("baseline", label)])
        cand_rps = statistics.median(r["rps"] for r in samples[("candidate", label)])
        rows.append((label, base, cand, (cand - base) / base * 100 if base else float("nan"),
                     base_rps, cand_rps))

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=bench.REPO,
                            capture_output=True, text=True).stdout.strip()
    lines = [
        f"### Protection overhead on browse, {datetime.date.today()} (commit {commit}{', ' + args.label if args.label else ''})",
        "",
        f"Machine: {bench.machine()}. SQLite, {args.puppies:,} puppies, wrk with one connection, "
        f"{args.rounds} interleaved rounds of {args.duration} s per build; medians. Candidate: rate "
        "limiter (in process, limits never reached), security headers, load shedding, request "
        "timeout, metrics. Baseline: the same code before those layers.",
        "",
        "| endpoint | baseline p50 (ms) | with protection p50 (ms) | change | baseline req/s | with protection req/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, base, cand, change, base_rps, cand_rps in rows:
        lines.append(f"| {label} | {base:.3f} | {cand:.3f} | {change:+.1f}% | {base_rps:,.0f} | {cand_rps:,.0f} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        with open(os.path.join(bench.REPO, "docs", "performance.md"), "a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
