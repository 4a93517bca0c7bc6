#!/usr/bin/env bash
# Staged rollout of the revision tagged "candidate" (created by deploy.sh and
# smoke-tested), by the policy in deploy/rollout.json, the same file the local
# rehearsal (ops/rehearsal/run) follows: for each step the candidate takes
# that share of traffic, then, after the environment's wait, its own requests
# over the wait are checked in Cloud Monitoring (PromQL API): error ratio,
# p99 latency and a minimum number of requests. A failed check sends all
# traffic back to the revision that was serving and exits 1. After the last
# step the previous revision is tagged "previous" for rollback.sh.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: deploy/scripts/canary.sh [--dry-run] ENV

  ENV         staging | production
  --dry-run   print the steps, waits and the queries of each check, and stop
              (needs only jq; the local checks use it)

Environment: PROJECT_ID (required), REGION (default europe-west1),
ROLLOUT_POLICY (default deploy/rollout.json).
Requires: gcloud, jq, curl.
USAGE
}

dry_run=false
case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    --dry-run) dry_run=true; shift ;;
esac
if [[ $# -ne 1 ]]; then
    usage >&2
    exit 2
fi

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
load_env "$1"
policy="${ROLLOUT_POLICY:-$DEPLOY_DIR/rollout.json}"
require jq

mapfile -t steps < <(jq -r '.steps_percent[]' "$policy")
wait_s="$(jq -er --arg env "$ENVIRONMENT" '.wait_seconds[$env]' "$policy")"
max_ratio="$(jq -er '.checks.max_error_ratio' "$policy")"
max_p99="$(jq -er '.checks.max_p99_seconds' "$policy")"
min_requests="$(jq -er '.checks.min_requests' "$policy")"
[[ ${#steps[@]} -gt 0 && "${steps[-1]}" == 100 ]] || die "$policy: steps_percent must end at 100"

# The policy's query NAME for this revision over the step's wait.
query_text() {
    jq -er --arg name "$1" '.queries.cloud_monitoring[$name]' "$policy" |
        sed -e "s/\\\$REVISION/$2/g" -e "s/\\\$WINDOW/${wait_s}s/g"
}

if [[ "$dry_run" == true ]]; then
    echo "steps: ${steps[*]} (percent), wait ${wait_s}s in $ENVIRONMENT"
    echo "checks: error ratio <= $max_ratio, p99 <= ${max_p99}s, requests >= $min_requests"
    for name in requests errors p99_seconds; do
        echo "$name: $(query_text "$name" CANDIDATE)"
    done
    exit 0
fi

require gcloud curl

# One PromQL query against Cloud Monitoring; prints the value or "none".
promql() {
    local token
    token="$(gcloud auth print-access-token)"
    curl -fsS --max-time 30 -H "Authorization: Bearer $token" \
        "https://monitoring.googleapis.com/v1/projects/$PROJECT_ID/location/global/prometheus/api/v1/query" \
        --data-urlencode "query=$1" |
        jq -r 'if (.data.result | length) == 0 then "none" else .data.result[0].value[1] end'
}

candidate="$(tagged_revision candidate)"
[[ -n "$candidate" ]] || die "no revision tagged 'candidate' in $ENVIRONMENT: run deploy.sh first"
current="$(serving_revision)"
[[ -n "$current" ]] || die "no revision serves 100% of $ENVIRONMENT traffic: finish or roll back the last rollout first"
if [[ "$candidate" == "$current" ]]; then
    echo "$candidate already serves 100% of $ENVIRONMENT traffic; nothing to do" >&2
    exit 0
fi

back() {
    echo "==> $ENVIRONMENT: check failed ($1); all traffic back to $current" >&2
    gcloud_run run services update-traffic "$SERVICE" --to-revisions="$current=100"
    exit 1
}

for pct in "${steps[@]}"; do
    if [[ "$pct" == 100 ]]; then
        split="$candidate=100"
    else
        split="$candidate=$pct,$current=$((100 - pct))"
    fi
    echo "==> $ENVIRONMENT: $split; checking after ${wait_s}s" >&2
    gcloud_run run services update-traffic "$SERVICE" --to-revisions="$split"
    sleep "$wait_s"

    requests="$(promql "$(query_text requests "$candidate")")"
    errors="$(promql "$(query_text errors "$candidate")")"
    p99="$(promql "$(query_text p99_seconds "$candidate")")"
    echo "    $candidate at $pct%: requests=$requests errors=$errors p99=${p99}s" >&2
    [[ "$requests" != none ]] || back "no request metrics for $candidate"
    verdict="$(jq -nr --argjson r "$requests" --argjson e "${errors/none/0}" --arg p "$p99" \
        --argjson max_ratio "$max_ratio" --argjson max_p99 "$max_p99" --argjson min "$min_requests" '
        if $r < $min then "only \($r) requests (< \($min))"
        elif ($e / $r) > $max_ratio then "error ratio \($e / $r) > \($max_ratio)"
        elif ($p != "none" and $p != "NaN" and ($p | tonumber) > $max_p99) then "p99 \($p)s > \($max_p99)s"
        else "ok" end')"
    [[ "$verdict" == ok ]] || back "$verdict at $pct%"
done

gcloud_run run services update-traffic "$SERVICE" --update-tags="previous=$current"
echo "==> $ENVIRONMENT: $candidate serves 100%; $current tagged previous" >&2
echo "$candidate"
