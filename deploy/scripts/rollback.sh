#!/usr/bin/env bash
# One-step rollback: sends 100% of a Kennel environment's traffic back to the
# revision tagged "previous" by the last promotion, or to REVISION when given.
# Only traffic moves; the database schema stays as it is, which is why
# migrations must stay backward compatible for one release.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: deploy/scripts/rollback.sh ENV [REVISION]

  ENV        staging | production
  REVISION   revision to send traffic to (default: the one tagged "previous")

Environment: PROJECT_ID (required), REGION (default europe-west1).
Requires: gcloud, jq.
USAGE
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac
if [[ $# -lt 1 || $# -gt 2 ]]; then
    usage >&2
    exit 2
fi

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
load_env "$1"
require gcloud jq

target="${2:-$(tagged_revision previous)}"
if [[ -z "$target" ]]; then
    echo "error: no revision tagged 'previous' in $ENVIRONMENT; pass one explicitly. Recent revisions:" >&2
    gcloud --project="$PROJECT_ID" run revisions list --service="$SERVICE" --region="$REGION" --limit=5 >&2
    exit 1
fi

current="$(serving_revision)"
echo "==> $ENVIRONMENT: 100% traffic back to $target (was ${current:-split})" >&2
gcloud_run run services update-traffic "$SERVICE" --to-revisions="$target=100"
echo "$target"
