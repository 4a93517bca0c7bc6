#!/usr/bin/env bash
# Sends 100% of a Kennel environment's traffic to the revision tagged
# "candidate" (created by deploy.sh and smoke-tested), and tags the revision
# that was serving as "previous" so rollback.sh can return to it in one step.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: deploy/scripts/promote.sh ENV

  ENV   staging | production

Environment: PROJECT_ID (required), REGION (default europe-west1).
Requires: gcloud, jq.
USAGE
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac
if [[ $# -ne 1 ]]; then
    usage >&2
    exit 2
fi

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
load_env "$1"
require gcloud jq

candidate="$(tagged_revision candidate)"
[[ -n "$candidate" ]] || die "no revision tagged 'candidate' in $ENVIRONMENT: run deploy.sh first"
current="$(serving_revision)"

if [[ "$candidate" == "$current" ]]; then
    echo "$candidate already serves 100% of $ENVIRONMENT traffic; nothing to do" >&2
    exit 0
fi

tags=()
if [[ -n "$current" ]]; then
    tags=(--update-tags="previous=$current")
fi
echo "==> $ENVIRONMENT: 100% traffic to $candidate (was ${current:-split})" >&2
gcloud_run run services update-traffic "$SERVICE" --to-tags=candidate=100 "${tags[@]}"
echo "$candidate"
