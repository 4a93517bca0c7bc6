#!/usr/bin/env bash
# Tests deploy/scripts/smoke.sh against a loopback stub of the API: it must
# pass a healthy service and fail one that is not ready or answers non-JSON.
set -euo pipefail

usage() {
    echo "Usage: deploy/scripts/test/smoke_test.sh   (no arguments; loopback only)"
}
if [[ $# -ne 0 ]]; then
    usage >&2
    exit 2
fi

here="$(cd "$(dirname "$0")" && pwd)"
smoke="$here/../smoke.sh"
out="$(mktemp -d)"
stub_pid=""

stop_stub() {
    if [[ -n "$stub_pid" ]]; then
        kill "$stub_pid" 2>/dev/null || true
        wait "$stub_pid" 2>/dev/null || true
        stub_pid=""
    fi
}
trap 'stop_stub; rm -rf "$out"' EXIT

start_stub() {
    python3 "$here/smoke_stub.py" "$1" >"$out/port" &
    stub_pid=$!
    for _ in $(seq 1 50); do
        [[ -s "$out/port" ]] && return 0
        sleep 0.1
    done
    echo "stub did not start" >&2
    return 1
}

failures=0
expect() {
    local mode=$1 want=$2 got
    start_stub "$mode"
    if SMOKE_RETRIES=0 SMOKE_TIMEOUT=5 "$smoke" "http://127.0.0.1:$(cat "$out/port")" >"$out/log" 2>&1; then
        got=pass
    else
        got=fail
    fi
    stop_stub
    if [[ "$got" == "$want" ]]; then
        echo "ok   smoke.sh on a $mode API: $got"
    else
        echo "FAIL smoke.sh on a $mode API: expected $want, got $got"
        sed 's/^/     /' "$out/log"
        failures=$((failures + 1))
    fi
}

expect healthy pass
expect not-ready fail
expect not-json fail
[[ $failures -eq 0 ]]
