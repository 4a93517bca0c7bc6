#!/usr/bin/env bash
# Makes sure the Postgres used by the tests answers on TEST_DATABASE_URL's host
# (127.0.0.1:5432 by default): starts the local cluster when it is installed but
# stopped. With KENNEL_REQUIRE_POSTGRES=1 a Postgres that cannot be reached is an
# error; otherwise the Postgres half of the suite is skipped.
set -euo pipefail

url="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
required="${KENNEL_REQUIRE_POSTGRES:-0}"

ready() { pg_isready -q -d "$url" 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1; then
    if [ "$required" = 1 ]; then
        echo "error: Postgres client tools (pg_isready) are not installed; install postgresql" >&2
        exit 1
    fi
    echo "Postgres tools not installed: Postgres tests will be skipped"
    exit 0
fi

if ready; then
    echo "Postgres is up ($(printf '%s' "$url" | sed -E 's#//[^@]*@#//#'))"
    exit 0
fi

# A local cluster that is installed but stopped: start it.
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    for version in /etc/postgresql/*; do
        [ -d "$version/main" ] || continue
        echo "starting Postgres $(basename "$version")"
        pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start || true
    done
    for _ in $(seq 1 30); do
        ready && { echo "Postgres is up"; exit 0; }
        sleep 1
    done
fi

if [ "$required" = 1 ]; then
    echo "error: Postgres is required (KENNEL_REQUIRE_POSTGRES=1) but not reachable at $url" >&2
    exit 1
fi
echo "Postgres not reachable: Postgres tests will be skipped"
