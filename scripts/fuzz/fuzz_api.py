#!/usr/bin/env python3
"""Fuzzes the Kennel API with Schemathesis; run through scripts/fuzz-api.sh.

Starts the release binary on loopback with the demo catalogue (in a fresh
Postgres database when the test server answers, else SQLite), a stand-in LLM
provider so the assistant answers, and four accounts: an adopter, a staff
member of a demo organisation, an administrator and throwaway ones for the
operations that end a session. Then runs Schemathesis with every check against
the served /openapi.json, anonymously and with each account's bearer token.
Exits non-zero when any run finds a failure (a 5xx, a response the document
does not allow, ...) or could not run.
"""

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import real_ids

HERE = os.path.dirname(os.path.abspath(__file__))
CONFIG = os.path.join(HERE, "schemathesis.toml")
PASSWORD = "fuzzing-password-42"

# Operations that end the session whose token they are sent with: run last,
# each with a token of its own, so the other runs keep a live session.
ENDS_SESSION = ["logout", "delete_me"]
# Switching a feature flag off makes the feature answer 503 feature_unavailable
# by design; it runs after everything else so no other run sees that.
CHANGES_FLAGS = ["update_flag"]


def only(option, operations):
    """Repeats a filter option once per operation id (Schemathesis takes one each)."""
    return [arg for operation in operations for arg in (option, operation)]


def log(message):
    print(f"fuzz: {message}", flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FakeLlm(BaseHTTPRequestHandler):
    """An OpenAI-style chat completions endpoint that always gives one answer."""

    def do_POST(self):  # noqa: N802 (http.server's naming)
        self.rfile.read(int(self.headers.get("content-length") or 0))
        body = json.dumps({
            "choices": [{"index": 0, "finish_reason": "stop", "message": {
                "role": "assistant",
                "content": "Puppies need patience, short walks and plenty of sleep.",
            }}],
            "usage": {"prompt_tokens": 20, "completion_tokens": 10},
        }).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def request(base, method, path, body=None, token=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        raw = error.read()
        raise SystemExit(f"fuzz: setup {method} {path} answered {error.code}: {raw[:300]!r}")


def wait_ready(base, server, timeout=60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"fuzz: the server exited with {server.returncode} before it was ready")
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise SystemExit("fuzz: the server did not become ready")


def register(base, email):
    """Registers an account (202, whether or not the address was taken), then
    signs it in; returns (token, user id). Its address stays unconfirmed."""
    request(base, "POST", "/v1/auth/register", {
        "email": email, "password": PASSWORD, "display_name": email.split("@")[0],
    })
    _, session = request(base, "POST", "/v1/auth/login", {"email": email, "password": PASSWORD})
    return session["token"], session["user"]["id"]


def confirmed_account(kennel, env, password_file, base, email):
    """An adopter made by `kennel admin create`, whose address counts as
    confirmed, so the fuzzer's messages get past `email_unverified`; signed in,
    returns (token, user id)."""
    subprocess.run([kennel, "admin", "create", "--email", email, "--role", "adopter",
                    "--display-name", email.split("@")[0], "--password-file", password_file],
                   env=env, check=True, stdout=subprocess.DEVNULL)
    _, session = request(base, "POST", "/v1/auth/login", {"email": email, "password": PASSWORD})
    return session["token"], session["user"]["id"]


def login(base, email):
    _, session = request(base, "POST", "/v1/auth/login", {"email": email, "password": PASSWORD})
    return session["token"]


class Postgres:
    """A fresh database on the test Postgres server, dropped afterwards."""

    def __init__(self, server_url):
        self.server = urllib.parse.urlsplit(server_url)
        self.name = f"kennel_fuzz_{os.getpid()}"

    def reachable(self):
        try:
            return subprocess.run(["pg_isready", "-q", "-d", self.url("postgres")]).returncode == 0
        except OSError:
            return False

    def url(self, database):
        return urllib.parse.urlunsplit(self.server._replace(path=f"/{database}"))

    def _psql(self, sql):
        env = dict(os.environ, PGOPTIONS="--client-min-messages=warning")
        subprocess.run(["psql", self.url("postgres"), "-qc", sql], check=True, env=env,
                       stdout=subprocess.DEVNULL)

    def create(self):
        self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        self._psql(f"CREATE DATABASE {self.name}")
        return self.url(self.name)

    def drop(self):
        try:
            self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
        except (subprocess.CalledProcessError, OSError):
            log(f"could not drop database {self.name}")


def included_operations(all_operations, extra):
    """The operation ids a run covers, from its include or exclude options."""
    include = {extra[i + 1] for i in range(0, len(extra), 2) if extra[i] == "--include-operation-id"}
    exclude = {extra[i + 1] for i in range(0, len(extra), 2) if extra[i] == "--exclude-operation-id"}
    return (include or set(all_operations)) - exclude


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kennel", required=True, help="the kennel binary")
    parser.add_argument("--schemathesis", required=True, help="the schemathesis command")
    parser.add_argument("--max-examples", type=int, default=int(os.environ.get("FUZZ_MAX_EXAMPLES", "25")))
    parser.add_argument("--seed", type=int, default=None,
                        help="Schemathesis seed (default: FUZZ_SEED, else random; printed to reproduce)")
    # One worker: Schemathesis's worker threads can trip a CPython 3.11 race in
    # its AST handling (SystemError: AST constructor recursion depth mismatch).
    parser.add_argument("--workers", default=os.environ.get("FUZZ_WORKERS", "1"))
    parser.add_argument("--database", choices=["auto", "postgres", "sqlite"],
                        default=os.environ.get("FUZZ_DATABASE") or "auto",
                        help="postgres: a fresh database on TEST_DATABASE_URL's server (what production "
                             "runs); auto: that when the server answers, else SQLite")
    parser.add_argument("--report-dir", default=os.environ.get("FUZZ_REPORT_DIR"),
                        help="keep JUnit reports and the server log here")
    parser.add_argument("--only", default=os.environ.get("FUZZ_ONLY"),
                        help="comma-separated runs to do (anonymous,adopter,staff,admin,flags,session)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else int(os.environ.get("FUZZ_SEED") or random.randrange(2**31))

    work = tempfile.mkdtemp(prefix="kennel-fuzz-")
    report_dir = os.path.abspath(args.report_dir) if args.report_dir else os.path.join(work, "reports")
    os.makedirs(report_dir, exist_ok=True)
    postgres = Postgres(os.environ.get("TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"))
    use_postgres = args.database == "postgres" or (args.database == "auto" and postgres.reachable())
    database = postgres if use_postgres else None

    llm = ThreadingHTTPServer(("127.0.0.1", 0), FakeLlm)
    threading.Thread(target=llm.serve_forever, daemon=True).start()

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ)
    env.update({
        "APP_ENV": "local",
        "DATABASE_URL": database.create() if database else f"sqlite://{work}/kennel.db",
        "STORAGE_URL": f"file://{work}/photos",
        "HOST": "127.0.0.1", "PORT": str(port), "PUBLIC_BASE_URL": base,
        # Info: the access log's lines show which operations got past their ids.
        "LOG_LEVEL": "info", "LOG_FORMAT": "json",
        # One client sends everything: no limit may throttle it.
        "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000",
        "RATE_LIMIT_USER_PER_MINUTE": "100000000",
        "RATE_LIMIT_AUTH_PER_MINUTE": "100000000",
        # Password checks per account: the signed-in runs sign in and send
        # current_password as one account far more than ten times a minute.
        "RATE_LIMIT_ACCOUNT_PER_MINUTE": "100000000",
        "RATE_LIMIT_ASSISTANT_PER_MINUTE": "100000000",
        "ASSISTANT_DAILY_QUOTA": "100000",
        "LLM_BASE_URL": f"http://127.0.0.1:{llm.server_address[1]}/v1",
        "LLM_API_KEY": "fuzz", "LLM_MODEL": "fake",
    })
    server_log_path = os.path.join(report_dir, "server.log")
    server = None
    failed = []
    try:
        subprocess.run([args.kennel, "seed", "--demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        password_file = os.path.join(work, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD)
        subprocess.run([args.kennel, "admin", "create", "--email", "admin@kennel.test", "--role", "admin",
                        "--password-file", password_file], env=env, check=True, stdout=subprocess.DEVNULL)
        server_log = open(server_log_path, "w")
        server = subprocess.Popen([args.kennel, "serve"], env=env, stdout=server_log, stderr=subprocess.STDOUT)
        wait_ready(base, server)

        admin = login(base, "admin@kennel.test")
        adopter, _ = confirmed_account(args.kennel, env, password_file, base, "adopter@kennel.test")
        staff, staff_id = confirmed_account(args.kennel, env, password_file, base, "staff@kennel.test")
        _, page = request(base, "GET", "/v1/puppies?limit=1")
        organization = page["items"][0]["organization"]["id"]
        request(base, "PUT", f"/v1/admin/users/{staff_id}/role",
                {"role": "staff", "organization_id": organization}, token=admin)
        dictionaries = real_ids.seed(request, base, PASSWORD,
                                     {"adopter": adopter, "staff": staff, "admin": admin}, organization)
        _, document = request(base, "GET", "/openapi.json")
        by_route = real_ids.operations(document)
        all_operations = set(by_route.values())

        runs = [
            ("anonymous", None, []),
            ("adopter", adopter, only("--exclude-operation-id", ENDS_SESSION)),
            ("staff", staff, only("--exclude-operation-id", ENDS_SESSION)),
            ("admin", admin, only("--exclude-operation-id", ENDS_SESSION + CHANGES_FLAGS)),
            ("flags", admin, only("--include-operation-id", CHANGES_FLAGS)),
        ]
        for operation in ENDS_SESSION:
            token, _ = register(base, f"{operation.replace('_', '-')}@kennel.test")
            runs.append((f"session-{operation}", token, only("--include-operation-id", [operation])))
        if args.only:
            wanted = set(args.only.split(","))
            runs = [r for r in runs if r[0] in wanted or r[0].split("-")[0] in wanted]

        log(f"{'Postgres' if database else 'SQLite'}, seed {seed}, {args.max_examples} examples per "
            f"operation, server log {server_log_path}")
        for name, token, extra in runs:
            log(f"run '{name}'")
            config = os.path.join(work, f"schemathesis-{name}.toml")
            real_ids.write_config(CONFIG, config, real_ids.for_run(dictionaries, name))
            log_offset = os.path.getsize(server_log_path)
            command = [
                args.schemathesis, "--config-file", config, "run", f"{base}/openapi.json",
                "--url", base,
                "--max-examples", str(args.max_examples),
                "--seed", str(seed),
                "--workers", str(args.workers),
                "--generation-database", "none",
                "--report", "junit",
                "--report-junit-path", os.path.join(report_dir, f"{name}.xml"),
                *extra,
            ]
            if token:
                command += ["--header", f"Authorization: Bearer {token}"]
            started = time.monotonic()
            code = subprocess.run(command, cwd=work).returncode
            log(f"run '{name}' exited {code} after {time.monotonic() - started:.0f} s")
            if server.poll() is not None:
                failed.append(name)
                log("the server exited during the run")
                break
            if code != 0:
                failed.append(name)
            time.sleep(0.5)  # the last access-log lines of the run
            with open(server_log_path, errors="replace") as f:
                f.seek(log_offset)
                seen = real_ids.coverage(f, by_route)
            included = included_operations(all_operations, extra)
            problems = real_ids.check(name, included, seen)
            table = os.path.join(report_dir, f"{name}-coverage.txt")
            with open(table, "w") as f:
                for operation in sorted(included):
                    f.write(f"{operation}: {real_ids.summary(seen.get(operation, {})) or 'no requests'}\n")
            reached = sum(1 for op in included if any(200 <= s < 300 for s in seen.get(op, {})))
            log(f"run '{name}': {reached} of {len(included)} operations answered 2xx (table: {table})")
            if problems:
                failed.append(f"{name} (coverage)")
                for problem in problems:
                    log(f"run '{name}': {problem}")
                with open(table) as f:
                    sys.stdout.write(f.read())
    finally:
        if server is not None and server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        llm.shutdown()
        if database:
            database.drop()
        if not args.report_dir:
            if failed:
                # The access log's info lines are in the coverage tables above.
                log("server log, warnings and errors (last 40 lines):")
                with open(server_log_path, errors="replace") as f:
                    noisy = ('"severity":"INFO"', '"severity":"DEBUG"')
                    sys.stdout.writelines([line for line in f if not line.startswith("{") or
                                           not any(level in line for level in noisy)][-40:])
            shutil.rmtree(work, ignore_errors=True)

    if failed:
        log(f"FAILED: {', '.join(failed)} (reproduce with FUZZ_SEED={seed})")
        return 1
    log("clean: no server errors, no responses outside the document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
