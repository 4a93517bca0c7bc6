#!/usr/bin/env bash
# Rolls out a new Kennel API image without sending it traffic:
#   1. applies and executes the migrate job (`kennel migrate`) with the image,
#   2. applies the outbox job (`kennel outbox drain`, run every minute by
#      Cloud Scheduler) with the image, so the email it sends matches the
#      schema just migrated; it is not executed here,
#   3. creates a new service revision from deploy/cloudrun/service.ENV.yaml
#      with 0% traffic and the tag "candidate" (the declarative equivalent of
#      `gcloud run deploy --no-traffic --tag candidate`, but with every
#      setting taken from the reviewed spec rather than from flags).
# Prints the candidate's tag URL on stdout for smoke.sh; promote.sh then
# moves traffic. Migrations must stay backward compatible with the serving
# revision, because it keeps serving on the new schema until promotion.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: deploy/scripts/deploy.sh [--render-only DIR] ENV IMAGE

  ENV     staging | production
  IMAGE   full image reference, e.g.
          europe-west1-docker.pkg.dev/PROJECT_ID/kennel/kennel:GIT_SHA

  --render-only DIR   write the rendered job and service specs to DIR and
                      stop; needs no gcloud access (used by the local checks)

Environment: PROJECT_ID (required), REGION (default europe-west1).
Requires: gcloud, jq, envsubst.
USAGE
}

render_only=""
case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    --render-only)
        [[ $# -ge 2 ]] || { usage >&2; exit 2; }
        render_only=$2
        shift 2
        ;;
esac
if [[ $# -ne 2 ]]; then
    usage >&2
    exit 2
fi

# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
load_env "$1"
IMAGE=$2
[[ "$IMAGE" == *[:@]* ]] || die "IMAGE must carry a tag or digest: $IMAGE"

# Revision names must be unique, lowercase and at most 63 characters; the
# timestamp makes a redeploy of the same image a distinct revision.
image_ref="$(printf '%s' "${IMAGE##*[:@]}" | tr '[:upper:]' '[:lower:]' | tr -c 'a-z0-9' '-' | cut -c1-12)"
REVISION="$SERVICE-$(date -u +%Y%m%d-%H%M%S)-$image_ref"
export IMAGE REVISION

# The single quotes are deliberate: envsubst gets the literal variable names
# so that only these placeholders are replaced and any other "$" is kept.
# shellcheck disable=SC2016
render() {
    envsubst '${PROJECT_ID} ${REGION} ${IMAGE} ${REVISION} ${CURRENT_REVISION}' <"$1" >"$2"
    if grep -q '\${' "$2"; then
        die "unrendered placeholder left in $2"
    fi
}

if [[ -n "$render_only" ]]; then
    require envsubst
    mkdir -p "$render_only"
    export CURRENT_REVISION="$SERVICE-current"
    render "$DEPLOY_DIR/cloudrun/migrate-job.$ENVIRONMENT.yaml" "$render_only/migrate-job.$ENVIRONMENT.yaml"
    render "$DEPLOY_DIR/cloudrun/outbox-job.$ENVIRONMENT.yaml" "$render_only/outbox-job.$ENVIRONMENT.yaml"
    render "$DEPLOY_DIR/cloudrun/service.$ENVIRONMENT.yaml" "$render_only/service.$ENVIRONMENT.yaml"
    echo "$render_only"
    exit 0
fi

require gcloud jq envsubst
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

CURRENT_REVISION="$(serving_revision)"
[[ -n "$CURRENT_REVISION" ]] || die "$SERVICE in $ENVIRONMENT has no revision with 100% of traffic (not created by Terraform yet, or a rollout is half done: promote or roll back first)"
export CURRENT_REVISION
previous="$(tagged_revision previous)"

render "$DEPLOY_DIR/cloudrun/migrate-job.$ENVIRONMENT.yaml" "$work/job.yaml"
render "$DEPLOY_DIR/cloudrun/outbox-job.$ENVIRONMENT.yaml" "$work/outbox-job.yaml"
render "$DEPLOY_DIR/cloudrun/service.$ENVIRONMENT.yaml" "$work/service.yaml"

echo "==> migrating $ENVIRONMENT database with $IMAGE" >&2
gcloud_run run jobs replace "$work/job.yaml"
gcloud_run run jobs execute "$JOB" --wait

# The next scheduled run (within a minute) uses the new image; a run already
# under way finishes with the old one, which the expand/contract rule keeps
# working on the new schema.
echo "==> updating $OUTBOX_JOB in $ENVIRONMENT to $IMAGE" >&2
gcloud_run run jobs replace "$work/outbox-job.yaml"

echo "==> creating revision $REVISION (0% traffic, tag candidate); $CURRENT_REVISION keeps serving" >&2
gcloud_run run services replace "$work/service.yaml"

# The spec's traffic block replaces all tags; the rollback target set by the
# last promotion is put back so rollback.sh keeps working during a rollout.
if [[ -n "$previous" && "$previous" != "$REVISION" ]]; then
    gcloud_run run services update-traffic "$SERVICE" --update-tags="previous=$previous"
fi

url="$(tagged_url candidate)"
[[ -n "$url" ]] || die "no URL for tag candidate after deploy"
echo "$url"
