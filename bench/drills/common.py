"""Shared pieces of the Kennel reliability drills (Python standard library only).

A drill starts the real `kennel` binary (KENNEL_BIN) on loopback with its own
temporary data, drives it with client threads, applies one fault for real,
checks that the fault happened, and then checks what the API did. It ends by
printing one verdict line:

    PASS <name>: <figures>      exit 0
    FAIL <name>: <what broke>   exit 1
    SKIP <name>: <what is missing>  exit 0, only outside CI

A drill that needs something this machine lacks (Postgres, redis-server, the
right to mount a file system) skips, unless CI is set or
KENNEL_REQUIRE_POSTGRES=1, where the missing piece is a failure.
"""
import errno
import http.client
import json
import math
import select
import multiprocessing
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
import zlib

HOST = "127.0.0.1"
# The nice value of the processes whose latency a drill measures.
HIGH_PRIORITY = -10
PASSWORD = "drill-password-0123"


class DrillFailed(Exception):
    """A violation: the drill's claim does not hold."""


class DrillSkipped(Exception):
    """Something the drill needs is not available here."""


def strict():
    return bool(os.environ.get("CI")) or os.environ.get("KENNEL_REQUIRE_POSTGRES") == "1"


def need(condition, what):
    """Skips the drill when `condition` is false (fails instead in CI)."""
    if condition:
        return
    if strict():
        raise DrillFailed(f"{what} (required in CI)")
    raise DrillSkipped(what)


def check(condition, message):
    if not condition:
        raise DrillFailed(message)


def log(message):
    """Progress lines go to stderr; the runner shows them when a drill fails."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def kennel_bin():
    path = os.environ.get("KENNEL_BIN")
    if not path:
        raise DrillFailed("KENNEL_BIN is not set (the path of a release build of kennel)")
    if not os.access(path, os.X_OK):
        raise DrillFailed(f"KENNEL_BIN={path} is not an executable")
    return path


def free_port():
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def port_refuses(port, host=HOST):
    """True when a TCP connection to the port is actively refused."""
    try:
        with socket.create_connection((host, port), timeout=1):
            return False
    except ConnectionRefusedError:
        return True
    except OSError as e:
        return e.errno == errno.ECONNREFUSED


def wait_until(predicate, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def pid_alive(pid):
    """True while the process runs (a zombie awaiting its reaper is dead)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def percentile(values, p):
    """The nearest-rank percentile."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(p / 100 * len(ordered)))) - 1]


# ---------------------------------------------------------------- HTTP client


class Response:
    __slots__ = ("status", "headers", "body", "error", "started", "sent", "ended")

    def __init__(self):
        self.status = None
        self.headers = {}
        self.body = b""
        self.error = None
        self.started = self.sent = self.ended = None

    @property
    def elapsed(self):
        return self.ended - self.started

    def json(self):
        return json.loads(self.body)

    @property
    def content_type(self):
        return self.headers.get("content-type", "")

    @property
    def code(self):
        """The `code` of a problem response, or None."""
        if "problem+json" not in self.content_type:
            return None
        try:
            return self.json().get("code")
        except ValueError:
            return None

    def describe(self):
        if self.error is not None:
            return f"{type(self.error).__name__}: {self.error}"
        detail = f" {self.code}" if self.code else ""
        return f"HTTP {self.status}{detail}"


def connection_dropped(conn):
    """Whether the peer has closed a kept-alive connection: its socket reads as
    end of file (or fails) without blocking."""
    sock = conn.sock
    if sock is None:
        return False
    readable, _, _ = select.select([sock], [], [], 0)
    if not readable:
        return False
    try:
        return sock.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


class Client:
    """One keep-alive connection to the API, reopened after any failure.
    Times each request: `started` before sending, `sent` once the request is
    written to the socket, `ended` when the whole body was read."""

    def __init__(self, port, timeout=10.0, token=None, host=HOST):
        self.host, self.port, self.timeout, self.token = host, port, timeout, token
        self.conn = None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method, path, body=None, headers=None, json_body=None):
        response = Response()
        headers = dict(headers or {})
        if self.token:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        if json_body is not None:
            body = json.dumps(json_body).encode()
            headers.setdefault("Content-Type", "application/json")
        response.started = time.monotonic()
        try:
            if self.conn is not None and connection_dropped(self.conn):
                # The server closed the idle keep-alive connection (it does after
                # HEADER_READ_TIMEOUT_SECONDS); a pooled client opens a new one, as
                # urllib3 and browsers do, instead of writing into a closed socket.
                self.close()
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            response.sent = time.monotonic()
            reply = self.conn.getresponse()
            response.body = reply.read()
            response.status = reply.status
            response.headers = {k.lower(): v for k, v in reply.getheaders()}
            if reply.will_close:
                self.close()
        except Exception as e:  # noqa: BLE001 - every failure is a data point
            response.error = e
            self.close()
        response.ended = time.monotonic()
        return response

    def get(self, path, **kw):
        return self.request("GET", path, **kw)


def call(port, method, path, token=None, timeout=10.0, **kw):
    """One request on a fresh connection."""
    client = Client(port, timeout=timeout, token=token)
    try:
        return client.request(method, path, **kw)
    finally:
        client.close()


def expect(response, status, what):
    if response.status != status:
        body = response.body[:300].decode("utf-8", "replace") if response.body else ""
        raise DrillFailed(f"{what}: expected HTTP {status}, got {response.describe()} {body}".rstrip())
    return response


# ------------------------------------------------------------------- accounts


def register(port, label="adopter"):
    """Registers a new adopter, signs it in and returns (token, user id).

    Registration answers 202 whether or not the address was taken, and the
    release before it answered 201 with a session: either way, signing in
    next gives the session."""
    email = f"{label}-{uuid.uuid4().hex[:12]}@drill.example"
    r = call(port, "POST", "/v1/auth/register",
             json_body={"email": email, "password": PASSWORD, "display_name": label.title()})
    if r.status not in (201, 202):
        expect(r, 202, f"registering {email}")
    r = call(port, "POST", "/v1/auth/login", json_body={"email": email, "password": PASSWORD})
    expect(r, 200, f"signing in {email}")
    session = r.json()
    return session["token"], session["user"]["id"]


def confirmed_account(kennel, label="adopter"):
    """An adopter made with `kennel admin create`, whose address counts as
    confirmed (sending messages needs that; a registered account would have
    to follow the emailed link first); signed in, returns (token, user id)."""
    email = f"{label}-{uuid.uuid4().hex[:12]}@drill.example"
    password_file = os.path.join(kennel.workdir, f"password-{label}")
    with open(password_file, "w") as f:
        f.write(PASSWORD)
    kennel.cli("admin", "create", "--email", email, "--role", "adopter",
               "--display-name", label.title(), "--password-file", password_file)
    r = call(kennel.port, "POST", "/v1/auth/login", json_body={"email": email, "password": PASSWORD})
    expect(r, 200, f"signing in {email}")
    session = r.json()
    return session["token"], session["user"]["id"]


def login(port, email, password=PASSWORD):
    r = call(port, "POST", "/v1/auth/login", json_body={"email": email, "password": password})
    expect(r, 200, f"signing in {email}")
    return r.json()["token"]


# --------------------------------------------------------------------- kennel

# Load from one loopback address must never be throttled, except in a drill
# that is about the limits.
UNTHROTTLED = {
    "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000",
    "RATE_LIMIT_USER_PER_MINUTE": "100000000",
    "RATE_LIMIT_AUTH_PER_MINUTE": "100000000",
    "RATE_LIMIT_ASSISTANT_PER_MINUTE": "100000000",
}


class Kennel:
    """The kennel binary as one server process (restartable) plus its CLI."""

    def __init__(self, workdir, database_url=None, photos=None, extra_env=None, port=None,
                 priority=False):
        self.bin = kennel_bin()
        self.priority = priority
        self.workdir = workdir
        self.port = port or free_port()
        self.database_url = database_url or f"sqlite://{workdir}/kennel.db"
        self.photos = photos or os.path.join(workdir, "photos")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "APP_ENV": "local",
            "HOST": HOST,
            "PORT": str(self.port),
            "DATABASE_URL": self.database_url,
            "STORAGE_URL": f"file://{self.photos}",
            "PUBLIC_BASE_URL": f"http://{HOST}:{self.port}",
            "LOG_FORMAT": "json",
            "LOG_LEVEL": "warn",
            **UNTHROTTLED,
            **(extra_env or {}),
        }
        self.proc = None
        self.starts = 0
        self.log_path = os.path.join(workdir, "kennel.log")

    def cli(self, *args, timeout=120):
        result = subprocess.run([self.bin, *args], env=self.env, text=True, capture_output=True,
                                timeout=timeout)
        if result.returncode != 0:
            raise DrillFailed(f"kennel {' '.join(args)} failed ({result.returncode}): "
                              f"{(result.stderr or result.stdout).strip()[-400:]}")
        return result.stdout

    def seed(self):
        started = time.monotonic()
        self.cli("seed", "--demo", timeout=300)
        log(f"seeded the demo catalogue in {time.monotonic() - started:.1f} s")

    def start(self, ready_timeout=60):
        check(self.proc is None or self.proc.poll() is not None, "server already running")
        self.starts += 1
        out = open(self.log_path, "ab")
        out.write(f"--- start {self.starts} ---\n".encode())
        out.flush()
        # For latency comparisons the server may run ahead of other work on a
        # shared machine (root only; otherwise nice warns and changes nothing).
        command = (["nice", "-n", str(HIGH_PRIORITY)] if self.priority else []) + [self.bin, "serve"]
        self.proc = subprocess.Popen(command, env=self.env, stdout=out, stderr=subprocess.STDOUT)
        out.close()
        if ready_timeout:
            self.wait_ready(ready_timeout)
        return self.proc

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise DrillFailed(f"kennel exited with {self.proc.returncode} before it was ready: "
                                  f"{self.log_tail()}")
            r = call(self.port, "GET", "/readyz", timeout=2)
            if r.status == 200:
                return
            time.sleep(0.05)
        raise DrillFailed(f"kennel was not ready within {timeout} s: {self.log_tail()}")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait_exit(self, timeout):
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self):
        """Best-effort stop for clean-up; never raises."""
        if self.proc is None or self.proc.poll() is not None:
            return
        try:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        except Exception:  # noqa: BLE001
            self.proc.kill()
            self.proc.wait()

    def log_tail(self, lines=8):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read()[-4000:].decode("utf-8", "replace")
        except OSError:
            return "(no log)"
        return " | ".join(text.strip().splitlines()[-lines:])

    def puppy_ids(self, limit=300):
        """Ids of up to `limit` browsable puppies, newest first."""
        ids, cursor = [], None
        while len(ids) < limit:
            query = "/v1/puppies?limit=100&sort=newest" + (f"&cursor={cursor}" if cursor else "")
            page = expect(call(self.port, "GET", query), 200, "browse").json()
            ids += [p["id"] for p in page["items"]]
            cursor = page.get("next_cursor")
            if not cursor:
                break
        return ids[:limit]

    def first_puppies(self, n=20):
        r = expect(call(self.port, "GET", f"/v1/puppies?limit={n}&sort=newest"), 200, "browse")
        return r.json()["items"]


class Workspace:
    """A temporary folder, removed at the end after the clean-up steps given to
    `on_exit` (stop the server, unmount, drop the database...), last first."""

    def __init__(self, name):
        self.path = tempfile.mkdtemp(prefix=f"kennel-drill-{name}-")
        self.cleanups = []

    def on_exit(self, fn):
        self.cleanups.append(fn)

    def close(self):
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception as e:  # noqa: BLE001
                log(f"clean-up step failed: {e}")
        shutil.rmtree(self.path, ignore_errors=True)


# ----------------------------------------------------------------------- load


class Load:
    """Client threads calling `work(client, i)` in a loop until stopped.
    Every Response is kept with the label `work` returns alongside it."""

    def __init__(self, port, threads, work, token=None, timeout=10.0, pause=0.0):
        self.port, self.threads, self.work = port, threads, work
        self.token, self.timeout, self.pause = token, timeout, pause
        self.stopping = threading.Event()
        self.results = []  # (label, Response)
        self.lock = threading.Lock()
        self.workers = []
        self.crashes = []

    def _run(self, index):
        client = Client(self.port, timeout=self.timeout, token=self.token)
        i = 0
        try:
            while not self.stopping.is_set():
                label, response = self.work(client, index * 1_000_000 + i)
                i += 1
                with self.lock:
                    self.results.append((label, response))
                if response.error is not None:
                    time.sleep(0.02)  # a refused port is not hammered
                elif self.pause:
                    time.sleep(self.pause)
        except Exception:  # noqa: BLE001
            self.crashes.append(traceback.format_exc())
        finally:
            client.close()

    def start(self):
        for index in range(self.threads):
            t = threading.Thread(target=self._run, args=(index,), daemon=True)
            t.start()
            self.workers.append(t)
        return self

    def stop(self, timeout=30):
        self.stopping.set()
        for t in self.workers:
            t.join(timeout)
        check(not self.crashes, f"a load thread crashed: {self.crashes[:1]}")
        return self.results


def browse_paths(puppy_ids):
    """The browse mix: filtered lists, a radius search, text search, details."""
    paths = [
        "/v1/puppies?size=medium&good_with=kids",
        "/v1/puppies?near=45.5152,-122.6784&radius_km=50&sort=distance",
        "/v1/puppies?q=golden",
        "/v1/puppies?sort=-fee&limit=10",
        "/v1/puppies?limit=100&sort=distance&near=40.7128,-74.0060",
        "/v1/breeds",
    ]
    paths += [f"/v1/puppies/{pid}" for pid in puppy_ids[:10]]
    return paths


def browse_work(paths):
    def work(client, i):
        path = paths[i % len(paths)]
        return path, client.get(path)
    return work


def _browse_main(port, paths, threads, pause, seconds, priority, pipe):
    if priority:
        try:
            os.nice(HIGH_PRIORITY)
        except OSError:
            pass
    load = Load(port, threads, browse_work(paths), pause=pause).start()
    time.sleep(seconds)
    results = load.stop()
    pipe.send([(r.started, r.elapsed, r.status, r.describe()) for _, r in results])
    pipe.close()


class BrowseProcess:
    """Browse load from a separate Python process, so that its latencies are
    not skewed by the drill's own threads competing for the interpreter.
    `results()` gives (started, elapsed, status, description) per request;
    `started` is on the same monotonic clock as this process's."""

    def __init__(self, port, paths, threads, seconds, pause=0.0, priority=False):
        ctx = multiprocessing.get_context("spawn")
        self.pipe, child = ctx.Pipe(duplex=False)
        self.seconds = seconds
        self.proc = ctx.Process(target=_browse_main, daemon=True,
                                args=(port, paths, threads, pause, seconds, priority, child))

    def start(self):
        self.proc.start()
        return self

    def results(self):
        check(self.pipe.poll(self.seconds + 60), "the browse load process sent no results")
        data = self.pipe.recv()
        self.proc.join(10)
        return data


# --------------------------------------------------------------------- images


def png(width, height, seed=0):
    """A PNG with a colourful gradient (so its JPEG variants have real sizes)."""
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            row += bytes(((x * 255 // width + seed) % 256, (y * 255 // height) % 256,
                          ((x ^ y) + seed * 7) % 256))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 6)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def multipart(files, part="photo"):
    """A multipart/form-data body with one part per (filename, bytes)."""
    boundary = f"drill{uuid.uuid4().hex}"
    body = bytearray()
    for name, data in files:
        body += (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{part}\"; "
                 f"filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").encode()
        body += data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return bytes(body), f"multipart/form-data; boundary={boundary}"


# --------------------------------------------------------------------- verdict


def main(name, drill):
    """Runs `drill()` (which returns the PASS figures) and prints the verdict."""
    started = time.monotonic()

    def interrupted(signum, frame):
        raise DrillFailed(f"interrupted by signal {signum}")

    # The runner's time limit ends a drill with SIGTERM: clean up on the way out.
    signal.signal(signal.SIGTERM, interrupted)
    try:
        figures = drill()
    except DrillSkipped as e:
        print(f"SKIP {name}: {e}", flush=True)
        return 0
    except DrillFailed as e:
        print(f"FAIL {name}: {e} ({time.monotonic() - started:.1f} s)", flush=True)
        return 1
    except Exception as e:  # noqa: BLE001 - a broken drill is a failure too
        traceback.print_exc()
        print(f"FAIL {name}: the drill itself broke: {type(e).__name__}: {e}", flush=True)
        return 1
    print(f"PASS {name}: {figures} ({time.monotonic() - started:.1f} s)", flush=True)
    return 0
