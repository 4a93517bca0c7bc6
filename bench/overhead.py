#!/usr/bin/env python3
"""What the protective layer costs on the browse path: the same benchmark
against two builds, interleaved (A B B A A B ...) on identical data.

The candidate is the working tree as it is: rate limiter (in process, limits
never reached, so it counts every request but never rejects), security
headers, load shedding and the request timeout. By default the baseline is the
very same source with only the protective layer taken out of the router
(`protection::protect` in crates/kennel/src/app.rs), built in a temporary
worktree, so the difference is that layer and nothing else. `--without limiter`
builds a baseline that keeps the layer but skips rate limiting (the session
pre-lookup, the limiter and its headers), which isolates the limiter's cost.
`--baseline BIN` compares against any other build instead, and with
`--candidate BIN` any two builds (two release profiles, say): the report then
names the two binaries and `--label` says what differs.

Usage: bench/overhead.py [--without layer|limiter] [--baseline BIN]
                         [--candidate BIN] [--puppies 10000] [--rounds 7]
                         [--duration 5] [--label TEXT] [--no-write]
Appends a dated table to docs/performance.md.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

# What the baseline leaves out, as (file, text, replacement):
# - "layer": the whole protective layer, taken out of the router;
# - "limiter": rate limiting only (the session pre-lookup, the limiter and its
#   headers); load shedding, the timeout and the security headers stay.
WITHOUT = {
    "layer": ("crates/kennel/src/app.rs",
              ".layer(middleware::from_fn_with_state(state, protection::protect))", ""),
    "limiter": ("crates/kennel/src/http/protection.rs",
                "rate_limited(&state, probe, request, next)", "next.run(request)"),
}


def serve(exe, env):
    proc = subprocess.Popen([exe, "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    common.wait_ready(proc=proc)
    return proc


def build_pair(work, without):
    """Builds the baseline (the working tree without the protective layer) and
    the candidate (the working tree), and copies both binaries into `work`."""
    tree = os.path.join(work, "baseline-src")
    common.sh(["git", "worktree", "add", "--quiet", "--detach", tree, "HEAD"], cwd=common.REPO)
    try:
        diff = subprocess.run(["git", "diff", "HEAD", "--binary"], cwd=common.REPO,
                              capture_output=True, check=True).stdout
        if diff:
            subprocess.run(["git", "apply", "--whitespace=nowarn"], cwd=tree, input=diff,
                           check=True)
        path, text, replacement = WITHOUT[without]
        with open(os.path.join(tree, path)) as f:
            source = f.read()
        if source.count(text) != 1:
            raise SystemExit(f"cannot find `{text}` once in {path}")
        with open(os.path.join(tree, path), "w") as f:
            f.write(source.replace(text, replacement))
        # The same target folder as the candidate's, so only Kennel itself compiles.
        env = dict(os.environ, CARGO_TARGET_DIR=common.target_dir())
        common.sh(["cargo", "build", "--release", "--locked", "-p", "kennel"], cwd=tree, env=env)
        baseline = os.path.join(work, "kennel-baseline")
        shutil.copy2(os.path.join(common.target_dir(), "release", "kennel"), baseline)
    finally:
        common.sh(["git", "worktree", "remove", "--force", tree], cwd=common.REPO)
    candidate = os.path.join(work, "kennel-candidate")
    shutil.copy2(common.build(), candidate)
    return baseline, candidate


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", help="a kennel binary to compare with (default: this "
                    "source without the protective layer, built here)")
    ap.add_argument("--candidate", help="default: this source, built here")
    ap.add_argument("--without", choices=sorted(WITHOUT), default="layer",
                    help="what the built baseline leaves out: the whole protective layer "
                    "(default) or rate limiting only")
    ap.add_argument("--puppies", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--duration", type=int, default=5)
    ap.add_argument("--label", default="")
    ap.add_argument("--no-write", action="store_true")
    args = ap.parse_args()
    common.ensure_wrk()
    work = tempfile.mkdtemp(prefix="kennel-overhead-")
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work):
    if args.baseline and args.candidate:
        builds = {"baseline": args.baseline, "candidate": args.candidate}
    else:
        baseline, candidate = build_pair(work, args.without)
        builds = {"baseline": args.baseline or baseline, "candidate": args.candidate or candidate}
    envs = {}
    for name, exe in builds.items():
        env = common.env_for(f"sqlite://{work}/{name}.db", f"{work}/photos-{name}")
        subprocess.run([exe, "seed", "--demo", "--puppies", str(args.puppies)], env=env,
                       check=True, stdout=subprocess.DEVNULL)
        envs[name] = env
    proc = serve(builds["candidate"], envs["candidate"])
    with urllib.request.urlopen(f"http://127.0.0.1:{common.PORT}/v1/puppies?limit=1") as r:
        detail = f"/v1/puppies/{json.load(r)['items'][0]['id']}"
    proc.terminate()
    proc.wait(timeout=10)
    paths = {"list (size=medium, good_with=kids)": "/v1/puppies?size=medium&good_with=kids",
             "nearest first (Portland, 400 km)":
                 "/v1/puppies?near=45.5152,-122.6784&radius_km=400&sort=distance",
             "detail": detail}
    # Each endpoint twice: reaching the database (browse cache off) and as
    # deployed (served from the browse cache, where the layer's share is largest).
    modes = {"database": "0", "cached": "2"}
    labels = [f"{label}, {mode}" for label in paths for mode in modes]

    samples = {(b, p): [] for b in builds for p in labels}
    names = list(builds)
    for round_ in range(args.rounds):
        # A B, B A, A B ...: neither build always runs first.
        order = names if round_ % 2 == 0 else names[::-1]
        for name in order:
            for mode, seconds in modes.items():
                proc = serve(builds[name], dict(envs[name], BROWSE_CACHE_SECONDS=seconds))
                try:
                    for label, path in paths.items():
                        url = f"http://127.0.0.1:{common.PORT}{path}"
                        common.wrk(url, 1, 1)  # warm-up
                        cpu = common.cpu_seconds(proc.pid)
                        result = common.wrk(url, args.duration, 1)
                        # The server's own CPU per request: what the layer costs,
                        # far less disturbed by scheduling than latency is.
                        used = common.cpu_seconds(proc.pid) - cpu
                        result["cpu_us"] = used * 1e6 / max(result["requests"], 1)
                        if result["errors"]:
                            raise SystemExit(f"{name} {label}: {result['errors']} non-2xx responses")
                        samples[(name, f"{label}, {mode}")].append(result)
                finally:
                    proc.terminate()
                    proc.wait(timeout=10)

    rows = []
    for label in labels:
        base = statistics.median(r["p50"] for r in samples[("baseline", label)])
        cand = statistics.median(r["p50"] for r in samples[("candidate", label)])
        base_rps = statistics.median(r["rps"] for r in samples[("baseline", label)])
        cand_rps = statistics.median(r["rps"] for r in samples[("candidate", label)])
        spread = [r["p50"] for r in samples[("baseline", label)]]
        base_cpu = statistics.median(r["cpu_us"] for r in samples[("baseline", label)])
        cand_cpu = statistics.median(r["cpu_us"] for r in samples[("candidate", label)])
        rows.append((label, base, cand, (cand - base) / base * 100 if base else float("nan"),
                     base_rps, cand_rps, (max(spread) - min(spread)) / base * 100,
                     base_cpu, cand_cpu))

    if args.baseline:
        # A baseline given by the caller: the report names the two builds and
        # claims nothing about what differs between them (the label says that).
        title = "Two builds on browse"
        cand_name = "candidate"
        what = (f"Baseline: `{os.path.basename(args.baseline)}`; candidate: "
                f"`{os.path.basename(args.candidate) if args.candidate else 'this source'}`.")
    else:
        title = "Protection overhead on browse"
        cand_name = "with protection"
        baseline_desc = {
            "layer": "the same source without the protective layer",
            "limiter": "the same source without rate limiting (the layer's shedding, timeout "
                       "and security headers kept)",
        }[args.without]
        what = ("Candidate: rate limiter (in process, limits never reached), security headers, "
                f"load shedding, request timeout. Baseline: {baseline_desc}.")
    lines = [
        f"### {title}, {common.now()} (commit {common.commit()}"
        f"{', ' + args.label if args.label else ''})",
        "",
        f"Machine: {common.machine()}. SQLite, {args.puppies:,} puppies, wrk with one connection, "
        f"{args.rounds} interleaved rounds of {args.duration} s per build; medians. {what} "
        "\"Spread\" is the range of the baseline's own p50 over the rounds, for scale. "
        "\"Server CPU\" is the server process's user and system time per request (its own "
        "share of the loopback traffic included), steadier than latency on a shared machine.",
        "",
        f"| endpoint | baseline p50 (ms) | {cand_name} p50 (ms) | change | spread | "
        f"baseline req/s | {cand_name} req/s | server CPU per request, baseline (µs) | "
        f"{cand_name} (µs) | change |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for label, base, cand, change, base_rps, cand_rps, spread, base_cpu, cand_cpu in rows:
        cpu_change = (cand_cpu - base_cpu) / base_cpu * 100 if base_cpu else float("nan")
        lines.append(f"| {label} | {base:.3f} | {cand:.3f} | {change:+.1f}% | {spread:.1f}% | "
                     f"{base_rps:,.0f} | {cand_rps:,.0f} | {base_cpu:.1f} | {cand_cpu:.1f} | "
                     f"{cpu_change:+.1f}% |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        with open(os.path.join(common.REPO, "docs", "performance.md"), "a") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
