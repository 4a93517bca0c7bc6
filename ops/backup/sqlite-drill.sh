#!/usr/bin/env bash
# Backup and restore drill for the embedded SQLite database, with the real
# `kennel` binary: a backup taken while the server runs and a bulk load writes
# must restore to a consistent database that serves, and the restore must refuse
# damaged backups and live databases without --force.
# Prints one verdict line; exits non-zero on any violation.
set -euo pipefail

usage() {
    echo "Usage: ops/backup/sqlite-drill.sh   (builds target/debug/kennel if missing)"
}
case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "$0")/../.." && pwd)"
target_dir="${CARGO_TARGET_DIR:-$repo/target}"
kennel="$target_dir/debug/kennel"
if [ ! -x "$kennel" ]; then
    (cd "$repo" && cargo build --locked -q -p kennel)
fi

work="$(mktemp -d)"
server_pid=""
writer_pid=""
cleanup() {
    for pid in $server_pid $writer_pid; do
        kill "$pid" 2>/dev/null || true
    done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "sqlite backup drill: FAIL $*"
    exit 1
}

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export APP_ENV=local LOG_LEVEL=warn HOST=127.0.0.1 PORT="$port"
export STORAGE_URL="file://$work/photos"
live="$work/live.db"

count() {
    python3 - "$1" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
puppies = c.execute("SELECT COUNT(*) FROM puppies").fetchone()[0]
orphans = c.execute("SELECT COUNT(*) FROM photos WHERE puppy_id NOT IN (SELECT id FROM puppies)").fetchone()[0]
ok = c.execute("PRAGMA integrity_check").fetchone()[0]
print(puppies, orphans, ok)
PY
}

wait_ready() {
    for _ in $(seq 1 200); do
        if curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

DATABASE_URL="sqlite://$live" "$kennel" seed --demo >/dev/null
DATABASE_URL="sqlite://$live" "$kennel" serve >"$work/server.log" 2>&1 &
server_pid=$!
wait_ready || fail "server did not become ready"

# A bulk load writes 2,000-row transactions while the backup is taken.
DATABASE_URL="sqlite://$live" "$kennel" seed --demo --puppies 30300 >/dev/null &
writer_pid=$!
sleep 1
kill -0 "$writer_pid" 2>/dev/null || fail "the writer finished before the backup; the drill proves nothing"
backup_out="$(DATABASE_URL="sqlite://$live" "$kennel" backup --dir "$work/backups")"
writer_running=no
kill -0 "$writer_pid" 2>/dev/null && writer_running=yes
wait "$writer_pid"
writer_pid=""
backup_file="$(printf '%s\n' "$backup_out" | sed -n 's/^backup written: \([^ ]*\) .*/\1/p')"
[ -f "$backup_file" ] || fail "no backup file in: $backup_out"
[ "$writer_running" = yes ] || echo "note: the writer finished during the backup"

# The HTTP API kept answering while the backup ran.
curl -fs "http://127.0.0.1:$port/v1/puppies?limit=1" >/dev/null || fail "API stopped answering"

restored="$work/restored.db"
DATABASE_URL="sqlite://$restored" "$kennel" restore "$backup_file" >/dev/null || fail "restore failed"
read -r puppies orphans integrity <<<"$(count "$restored")"
[ "$integrity" = ok ] || fail "restored integrity: $integrity"
[ "$orphans" = 0 ] || fail "$orphans photos without a puppy"
# A consistent snapshot holds whole transactions: the demo 300, then 2,000 at a time.
if [ "$puppies" != 300 ] && [ $((puppies % 2000)) != 0 ] && [ "$puppies" != 30300 ]; then
    fail "restored $puppies puppies: a transaction was cut in half"
fi

# The restored database serves.
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
DATABASE_URL="sqlite://$restored" "$kennel" serve >"$work/restored.log" 2>&1 &
server_pid=$!
wait_ready || fail "restored database did not become ready"
curl -fs "http://127.0.0.1:$port/v1/puppies?limit=1" | grep -q '"items"' || fail "restored API does not list puppies"

# Refusals: an existing database without --force, and a damaged backup.
if DATABASE_URL="sqlite://$restored" "$kennel" restore "$backup_file" >/dev/null 2>&1; then
    fail "restore overwrote an existing database without --force"
fi
damaged="$work/backups/kennel-20000101T000000Z.db.gz"
cp "$backup_file" "$damaged"
cp "$backup_file.sha256" "$damaged.sha256"
printf 'x' | dd of="$damaged" bs=1 seek=100 conv=notrunc status=none
if DATABASE_URL="sqlite://$work/other.db" "$kennel" restore "$damaged" >/dev/null 2>&1; then
    fail "a damaged backup was restored"
fi
[ ! -e "$work/other.db" ] || fail "a refused restore left a file behind"

echo "sqlite backup drill: PASS (backup during a bulk load restored $puppies puppies, integrity ok, serves; damaged and no-force restores refused)"
