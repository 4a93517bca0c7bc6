#!/usr/bin/env bash
# API fuzzing: Schemathesis against a running release server's /openapi.json,
# with every check, anonymously and as an adopter, a staff member and an admin.
# Fails (non-zero) on any server error or any response the document does not
# allow. Details and how to read a failure: docs/operations.md.
#
#   KENNEL_BIN=target/release/kennel scripts/fuzz-api.sh
#
# Environment:
#   KENNEL_BIN         the kennel binary (default: target/release/kennel)
#   FUZZ_MAX_EXAMPLES  generated cases per operation and run (default 25)
#   FUZZ_SEED          reproduce a run (printed by every run); random otherwise
#   FUZZ_ONLY          some runs only: anonymous,adopter,staff,admin,flags,session
#   FUZZ_DATABASE      postgres (a fresh database on TEST_DATABASE_URL's server,
#                      default 127.0.0.1:5432; what production runs), sqlite, or
#                      auto (default: postgres when that server answers)
#   FUZZ_REPORT_DIR    keep the JUnit reports and the server log here
#   FUZZ_VENV          the virtualenv for Schemathesis (default: ~/.cache/kennel/fuzz-venv)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
kennel="${KENNEL_BIN:-$repo/target/release/kennel}"
[ -x "$kennel" ] || { echo "fuzz: no kennel binary at $kennel (build with: cargo build --release -p kennel)" >&2; exit 2; }

# Schemathesis and its pinned dependencies live in their own virtualenv so they
# cannot clash with other Python tools; it is (re)built when the pins change.
requirements="$repo/scripts/fuzz-requirements.txt"
venv="${FUZZ_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/kennel/fuzz-venv}"
stamp="$venv/.requirements"
if ! [ -x "$venv/bin/schemathesis" ] || ! cmp -s "$requirements" "$stamp"; then
    echo "fuzz: installing Schemathesis into $venv"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$stamp"
fi

exec "$venv/bin/python" "$repo/scripts/fuzz/fuzz_api.py" \
    --kennel "$kennel" --schemathesis "$venv/bin/schemathesis" "$@"
