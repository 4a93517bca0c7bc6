#!/usr/bin/env bash
# Smoke test of a Kennel API base URL (a candidate's tag URL before promotion,
# or the public URL after it). Fails unless /healthz and /readyz answer 200
# and GET /v1/puppies?limit=1 answers 200 with a JSON body.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: deploy/scripts/smoke.sh URL

  URL   base URL, e.g. https://candidate---kennel-api-abc123-ew.a.run.app

Environment:
  SMOKE_BEARER_TOKEN   sent as "Authorization: Bearer ..." when set (for a
                       service that requires IAM authentication)
  SMOKE_TIMEOUT        seconds per request (default 10)
  SMOKE_RETRIES        retries per request for cold starts (default 4)
  SMOKE_RESOLVE        curl --resolve entry HOST:PORT:ADDRESS, for a tag host
                       name that DNS does not know (the local rehearsal's)
Requires: curl, jq.
USAGE
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac
if [[ $# -ne 1 ]]; then
    usage >&2
    exit 2
fi
base="${1%/}"
timeout="${SMOKE_TIMEOUT:-10}"
retries="${SMOKE_RETRIES:-4}"
for cmd in curl jq; do
    command -v "$cmd" >/dev/null 2>&1 || { echo "error: '$cmd' is required" >&2; exit 1; }
done

auth=()
if [[ -n "${SMOKE_BEARER_TOKEN:-}" ]]; then
    auth=(-H "Authorization: Bearer $SMOKE_BEARER_TOKEN")
fi
if [[ -n "${SMOKE_RESOLVE:-}" ]]; then
    auth+=(--resolve "$SMOKE_RESOLVE")
fi
body="$(mktemp)"
trap 'rm -f "$body"' EXIT
failures=0

# A candidate scaled to zero needs a cold start, so connection errors and 5xx
# are retried a few times before they count.
fetch() {
    curl -sS -o "$body" -w '%{http_code} %{content_type}' \
        --max-time "$timeout" --retry "$retries" --retry-delay 2 --retry-all-errors \
        -H 'Accept: application/json' -H "x-request-id: smoke-$$-$RANDOM" \
        "${auth[@]}" "$base$1" 2>/dev/null || echo "000 -"
}

check() {
    local path=$1 want_json=$2 code ctype
    read -r code ctype <<<"$(fetch "$path")"
    if [[ "$code" != 200 ]]; then
        echo "FAIL GET $path -> HTTP $code"
        failures=$((failures + 1))
        return
    fi
    if [[ "$want_json" == json ]]; then
        if [[ "$ctype" != application/json* ]] || ! jq -e . "$body" >/dev/null 2>&1; then
            echo "FAIL GET $path -> 200 but not a JSON body (content-type $ctype)"
            failures=$((failures + 1))
            return
        fi
    fi
    echo "ok   GET $path -> 200"
}

check /healthz any
check /readyz any
check '/v1/puppies?limit=1' json

if [[ $failures -ne 0 ]]; then
    echo "smoke: FAIL $failures check(s) failed against $base"
    exit 1
fi
echo "smoke: PASS $base"
