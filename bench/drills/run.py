#!/usr/bin/env python3
"""Runs Kennel's reliability drills one after another and prints their verdicts.

Usage: bench/drills/run.py [NAME ...]     (all drills when no name is given)

KENNEL_BIN names the release binary to drill; without it the binary is built
here with `cargo build --release --locked -p kennel`. Each drill runs in its
own process with a time limit, prints one verdict line (PASS, FAIL or SKIP),
and its progress log is shown when it fails. The run ends with
"drills: N passed, M failed[, K skipped]" and exits non-zero if any failed.

A drill skips when this machine lacks what it needs (Postgres, redis-server,
the right to mount a tmpfs), except when CI is set or
KENNEL_REQUIRE_POSTGRES=1: then the missing piece is a failure.
"""
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))

# name, script and arguments, time limit in seconds
DRILLS = [
    ("sigterm", ["sigterm.py"], 90),
    ("kill9-sqlite", ["kill9.py", "sqlite"], 90),
    ("kill9-postgres", ["kill9.py", "postgres"], 120),
    ("postgres-restart", ["postgres_restart.py"], 150),
    ("llm-down", ["llm_down.py"], 180),
    ("redis-down", ["redis_down.py"], 120),
    ("photo-disk", ["photo_disk.py"], 120),
    ("upload-memory", ["upload_memory.py"], 180),
]


def binary():
    path = os.environ.get("KENNEL_BIN")
    if path:
        return os.path.abspath(path)
    subprocess.run(["cargo", "build", "--release", "--locked", "-p", "kennel"], cwd=REPO, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target"))
    if not os.path.isabs(target):
        target = os.path.join(REPO, target)
    return os.path.join(target, "release", "kennel")


def run_one(name, argv, limit, env):
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, os.path.join(HERE, argv[0]), *argv[1:]], cwd=HERE,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        # The drill's own clean-up runs on SIGTERM; SIGKILL if it does not end.
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, err = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
        return f"FAIL {name}: did not finish within {limit} s", err, time.monotonic() - started
    verdicts = [line for line in out.splitlines() if line.split(" ", 1)[0] in ("PASS", "FAIL", "SKIP")]
    if not verdicts:
        verdict = f"FAIL {name}: no verdict (exit code {proc.returncode})"
    elif proc.returncode != 0 and not verdicts[-1].startswith("FAIL"):
        verdict = f"FAIL {name}: exit code {proc.returncode} after: {verdicts[-1]}"
    else:
        verdict = verdicts[-1]
    return verdict, err, time.monotonic() - started


def main():
    wanted = sys.argv[1:]
    unknown = [w for w in wanted if w not in {name for name, _, _ in DRILLS}]
    if unknown:
        sys.exit(f"unknown drill {', '.join(unknown)}; known: {', '.join(n for n, _, _ in DRILLS)}")
    env = dict(os.environ, KENNEL_BIN=binary(), PYTHONUNBUFFERED="1")
    if not os.access(env["KENNEL_BIN"], os.X_OK):
        sys.exit(f"KENNEL_BIN={env['KENNEL_BIN']} is not an executable")
    counts = {"PASS": 0, "FAIL": 0, "SKIP": 0}
    started = time.monotonic()
    for name, argv, limit in DRILLS:
        if wanted and name not in wanted:
            continue
        verdict, log, seconds = run_one(name, argv, limit, env)
        kind = verdict.split(" ", 1)[0]
        counts[kind] += 1
        print(verdict, flush=True)
        if kind == "FAIL":
            tail = log.strip().splitlines()[-40:]
            print("\n".join(f"    | {line}" for line in tail), flush=True)
    print(f"reliability drills took {time.monotonic() - started:.0f} s")
    skipped = f", {counts['SKIP']} skipped" if counts["SKIP"] else ""
    print(f"drills: {counts['PASS']} passed, {counts['FAIL']} failed{skipped}")
    return 1 if counts["FAIL"] else 0


if __name__ == "__main__":
    sys.exit(main())
