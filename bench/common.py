"""Helpers shared by Kennel's benchmarks: building and starting the release
binary, waiting for readiness, load generation with oha or wrk, and reading a
process's memory."""
import datetime
import json
import os
import re
import shutil
import subprocess
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PORT = 3917
CEILING_PORT = 3918


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, **kw)


def target_dir():
    target = os.environ.get("CARGO_TARGET_DIR", "target")
    return target if os.path.isabs(target) else os.path.join(REPO, target)


def build(package="kennel", binary="kennel"):
    """Builds a workspace binary in release mode and returns its path."""
    sh(["cargo", "build", "--release", "--locked", "-p", package], cwd=REPO)
    return os.path.join(target_dir(), "release", binary)


def ensure_wrk():
    if not shutil.which("wrk"):
        sh(["apt-get", "install", "-y", "-q", "wrk"], stdout=subprocess.DEVNULL)


def ensure_oha():
    """oha is the load generator: fixed-rate runs with latency correction,
    p99.9, JSON output. Installed from the crates registry when missing."""
    if shutil.which("oha"):
        return "oha"
    cargo_bin = os.path.join(os.path.expanduser("~"), ".cargo", "bin", "oha")
    if not os.path.exists(cargo_bin):
        sh(["cargo", "install", "--locked", "oha"])
    return cargo_bin


def env_for(database_url, photos, port=PORT):
    env = dict(os.environ)
    env.update({
        "APP_ENV": "local", "DATABASE_URL": database_url, "STORAGE_URL": f"file://{photos}",
        "PORT": str(port), "HOST": "127.0.0.1", "LOG_LEVEL": "warn",
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        # All load comes from one loopback address: the limiter still runs on
        # every request (its cost is measured) but never rejects.
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000",
        "RATE_LIMIT_USER_PER_MINUTE": "100000000",
        "RATE_LIMIT_AUTH_PER_MINUTE": "100000000",
    })
    return env


def wait_ready(port=PORT, timeout=30.0, proc=None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise SystemExit(f"server exited with status {proc.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as r:
                if r.status == 200:
                    return
        except Exception:
            time.sleep(0.001)
    raise SystemExit(f"server on port {port} did not become ready within {timeout:.0f} s")


def proc_status_kb(pid, field):
    """VmRSS (resident now) or VmHWM (peak resident) of a process, in KiB."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def request_json(url, method="GET", body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers=headers)
    with urllib.request.urlopen(req, timeout=10) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def fetch_bytes(url, token=None):
    req = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.read()


def parse_wrk_latency(text, pct):
    m = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return float("nan")
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def wrk(url, duration, connections=32):
    threads = "-t1" if connections == 1 else "-t2"
    out = sh(["wrk", threads, f"-c{connections}", f"-d{duration}s", "--latency", url],
             capture_output=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": rps, "requests": requests, "p50": parse_wrk_latency(out, 50),
            "p99": parse_wrk_latency(out, 99), "errors": int(errors.group(1)) if errors else 0}


def cpu_seconds(pid):
    """User plus system CPU time a process has used so far, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        # The command name may hold spaces; the fields after it are fixed.
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def oha(exe, url, duration, connections, rate=None, token=None):
    """One oha run. Latencies in milliseconds. With `rate`, requests are sent
    on a fixed schedule and latency is measured from when each request was due
    (no coordinated omission), so queueing shows up in the percentiles."""
    cmd = [exe, "--no-tui", "--output-format", "json", "-z", f"{duration}s",
           "-c", str(connections)]
    if rate:
        cmd += ["-q", str(rate), "--latency-correction"]
    if token:
        cmd += ["-H", f"Authorization: Bearer {token}"]
    out = json.loads(sh(cmd + [url], capture_output=True).stdout)
    pct = out["latencyPercentiles"]
    codes = out.get("statusCodeDistribution", {})
    ok = sum(n for code, n in codes.items() if code.startswith("2"))
    # Requests still in flight when the time is up are cancelled by oha and
    # reported as "aborted due to deadline": not failures of the server.
    errors = sum(n for kind, n in out.get("errorDistribution", {}).items()
                 if "deadline" not in kind)
    total = sum(codes.values()) + errors

    def ms(key):
        value = pct.get(key)
        return value * 1000 if value is not None else float("nan")

    elapsed = out["summary"].get("total") or duration
    return {"rps": ok / elapsed, "p50": ms("p50"), "p99": ms("p99"), "p999": ms("p99.9"),
            "failed": total - ok}


def machine():
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores, {cpu}"


def commit():
    return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, text=True,
                          capture_output=True).stdout.strip() or "unknown"


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
