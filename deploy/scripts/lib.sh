# shellcheck shell=bash
# Shared settings for the Kennel deploy scripts; sourced, never executed.
#
# Staging and production live in separate Google Cloud projects, so the
# service, job and secret names are the same in both and only PROJECT_ID
# (and optionally REGION) differ. CI sets them from GitHub environment
# variables; locally, export them before running a script.

# Used by the scripts that source this file.
# shellcheck disable=SC2034
SERVICE=kennel-api
# shellcheck disable=SC2034
JOB=kennel-migrate
# Account email delivery, run every minute by Cloud Scheduler (Terraform).
# shellcheck disable=SC2034
OUTBOX_JOB=kennel-outbox-drain
# shellcheck disable=SC2034
DEPLOY_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
    echo "error: $*" >&2
    exit 1
}

# Validates ENV and the variables every script needs.
load_env() {
    case "${1:-}" in
        staging | production) ENVIRONMENT=$1 ;;
        *) die "ENV must be staging or production, got '${1:-}'" ;;
    esac
    : "${PROJECT_ID:?set PROJECT_ID to the Google Cloud project of $ENVIRONMENT}"
    REGION="${REGION:-europe-west1}"
    export PROJECT_ID REGION ENVIRONMENT
}

require() {
    local cmd
    for cmd in "$@"; do
        command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is required but not installed"
    done
}

# gcloud with project and region fixed, its own output sent to stderr so that
# a script's stdout carries only its result (e.g. a URL for the pipeline).
gcloud_run() {
    gcloud --project="$PROJECT_ID" "$@" --region="$REGION" >&2
}

service_json() {
    gcloud --project="$PROJECT_ID" run services describe "$SERVICE" --region="$REGION" --format=json
}

# Name of the revision that receives 100% of traffic, or nothing when traffic
# is split (a rollout is half done and needs a person to decide).
serving_revision() {
    service_json | jq -r '[.status.traffic[]? | select(.percent == 100)][0].revisionName // empty'
}

tagged_revision() {
    service_json | jq -r --arg tag "$1" '[.status.traffic[]? | select(.tag == $tag)][0].revisionName // empty'
}

tagged_url() {
    service_json | jq -r --arg tag "$1" '[.status.traffic[]? | select(.tag == $tag)][0].url // empty'
}
