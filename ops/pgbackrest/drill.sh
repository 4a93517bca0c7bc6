#!/usr/bin/env bash
# Point-in-time-recovery drill for the self-hosted Postgres backup setup.
#
# Builds a throw-away PostgreSQL 15 cluster on a free loopback port, archives
# its WAL with pgBackRest into a repository in a temporary directory, takes a
# full backup, writes rows before and after a recorded time T, restores into a
# fresh data directory with --type=time --target=T and checks that exactly the
# rows written before T came back. Nothing outside the temporary directory is
# touched; the machine's own clusters are left alone.
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: ops/pgbackrest/drill.sh [-k] [-h]

Runs a pgBackRest point-in-time-recovery drill against a scratch PostgreSQL 15
cluster in a temporary directory, prints one verdict line
("pgbackrest drill: PASS ..." or "pgbackrest drill: FAIL ...") and exits
non-zero on any failure. Must run as root (the cluster itself runs as the
postgres OS user) or as the postgres user.

  -k   keep the scratch directory for inspection instead of deleting it
  -h   show this help

Environment:
  PG_BINDIR   PostgreSQL binaries (default /usr/lib/postgresql/15/bin)
EOF
}

keep=0
while getopts ":kh" opt; do
    case "$opt" in
        k) keep=1 ;;
        h) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

PG_BINDIR="${PG_BINDIR:-/usr/lib/postgresql/15/bin}"
STANZA=drill
ROWS_BEFORE_BACKUP=100
ROWS_BEFORE_T=150
ROWS_AFTER_T=75
started=$SECONDS

fail() {
    echo "pgbackrest drill: FAIL $*"
    exit 1
}

for bin in "$PG_BINDIR/initdb" "$PG_BINDIR/pg_ctl" "$PG_BINDIR/psql"; do
    [[ -x "$bin" ]] || fail "missing $bin (install postgresql-15)"
done
command -v pgbackrest >/dev/null || fail "pgbackrest not installed"

# Postgres refuses to run as root, so every cluster and pgBackRest command runs
# as the postgres OS user, which is also how archive_command runs in production.
if [[ "$(id -u)" -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || fail "no postgres OS user"
    as_pg() { runuser -u postgres -- "$@"; }
elif [[ "$(id -un)" == postgres ]]; then
    as_pg() { "$@"; }
else
    fail "run as root or as the postgres user"
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/kennel-pgbackrest-drill.XXXXXX")"
data="$scratch/data"
restored="$scratch/restored"
sock="$scratch/sock"
conf="$scratch/pgbackrest.conf"

cleanup() {
    local rc=$?
    for dir in "$restored" "$data"; do
        if [[ -f "$dir/postmaster.pid" ]]; then
            as_pg "$PG_BINDIR/pg_ctl" -D "$dir" -m immediate -w stop >/dev/null 2>&1 || true
        fi
    done
    if [[ $rc -ne 0 ]]; then
        for log in "$scratch"/*.log "$scratch"/log/*.log; do
            [[ -f "$log" ]] || continue
            echo "--- last lines of ${log#"$scratch"/}" >&2
            tail -n 15 "$log" >&2
        done
    fi
    if [[ $keep -eq 1 ]]; then
        echo "scratch directory kept: $scratch" >&2
    else
        rm -rf "$scratch"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

chown postgres:postgres "$scratch" 2>/dev/null || true
as_pg mkdir -p "$sock" "$scratch/repo" "$scratch/log" "$scratch/lock" "$scratch/spool"

# A port is free when nothing accepts a loopback connection on it; 5432 and
# its neighbours are skipped so the machine's main cluster is never in play.
port=""
for candidate in $(seq 54329 54399); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then
        port=$candidate
        break
    fi
done
[[ -n "$port" ]] || fail "no free loopback port in 54329-54399"

# Retention is copied from the shipped template so the drill exercises the
# same expire settings; storage and encryption stay local to the scratch repo.
template="$(dirname "$0")/pgbackrest.conf"
retention="$(grep -E '^repo1-retention-' "$template")" || fail "no repo1-retention-* options in $template"

as_pg tee "$conf" >/dev/null <<EOF
[global]
repo1-path=$scratch/repo
$retention
log-path=$scratch/log
lock-path=$scratch/lock
spool-path=$scratch/spool
log-level-console=warn
log-level-file=info
start-fast=y
compress-type=gz

[$STANZA]
pg1-path=$data
pg1-port=$port
pg1-socket-path=$sock
EOF

pgbr() { as_pg pgbackrest --config="$conf" --stanza="$STANZA" "$@"; }
sql() { as_pg "$PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres -At -c "$1"; }

as_pg "$PG_BINDIR/initdb" -D "$data" -U postgres -A trust --no-sync -E UTF8 >"$scratch/initdb.log" 2>&1 \
    || fail "initdb failed"

as_pg tee -a "$data/postgresql.conf" >/dev/null <<EOF

# drill settings
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$sock'
wal_level = replica
archive_mode = on
archive_command = 'pgbackrest --config=$conf --stanza=$STANZA archive-push %p'
max_wal_senders = 3
fsync = off
log_min_messages = warning
EOF

as_pg "$PG_BINDIR/pg_ctl" -D "$data" -l "$scratch/primary.log" -w -t 60 start >/dev/null \
    || fail "scratch cluster did not start on port $port"

pgbr stanza-create >/dev/null || fail "stanza-create failed"
pgbr check >/dev/null || fail "pgbackrest check failed (archive_command not working)"

sql "CREATE TABLE drill_rows (id bigint PRIMARY KEY, written_at timestamptz NOT NULL DEFAULT clock_timestamp())"
sql "INSERT INTO drill_rows (id) SELECT g FROM generate_series(1, $ROWS_BEFORE_BACKUP) g"

pgbr backup --type=full >/dev/null || fail "full backup failed"

sql "INSERT INTO drill_rows (id) SELECT g FROM generate_series($((ROWS_BEFORE_BACKUP + 1)), $ROWS_BEFORE_T) g"

# One second either side of T keeps every commit timestamp strictly away from
# the target, so recovery_target_inclusive cannot change the outcome.
sleep 1
target="$(sql "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")"
sleep 1

sql "INSERT INTO drill_rows (id) SELECT g FROM generate_series($((ROWS_BEFORE_T + 1)), $((ROWS_BEFORE_T + ROWS_AFTER_T))) g"

# Recovery to T needs WAL that reaches past T; switching segments and running
# check waits until that segment is in the repository.
sql "SELECT pg_switch_wal()" >/dev/null
pgbr check >/dev/null || fail "WAL after T was not archived"

as_pg "$PG_BINDIR/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null || fail "scratch cluster did not stop"

as_pg mkdir -m 0700 "$restored"
pgbr restore --pg1-path="$restored" --type=time "--target=$target" --target-action=promote >/dev/null \
    || fail "restore to $target failed"

# The restored copy must not push WAL into the repository under test.
as_pg "$PG_BINDIR/pg_ctl" -D "$restored" -l "$scratch/restored.log" -w -t 60 \
    -o "-c archive_mode=off" start >/dev/null || fail "restored cluster did not start"

# Postgres shuts itself down when the archived WAL ends before T is reached,
# so a vanished postmaster is reported as such rather than as a timeout.
for _ in $(seq 1 60); do
    as_pg "$PG_BINDIR/pg_ctl" -D "$restored" status >/dev/null 2>&1 \
        || fail "restored cluster stopped during recovery (target $target not reached?)"
    [[ "$(sql "SELECT pg_is_in_recovery()" 2>/dev/null || true)" == f ]] && break
    sleep 0.5
done
[[ "$(sql "SELECT pg_is_in_recovery()")" == f ]] || fail "restored cluster still in recovery after 30 s"

result="$(sql "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM drill_rows")"
read -r count max_id <<<"$result"
elapsed=$((SECONDS - started))

if [[ "$count" -ne "$ROWS_BEFORE_T" || "$max_id" -ne "$ROWS_BEFORE_T" ]]; then
    fail "restored to $target: expected $ROWS_BEFORE_T rows with max id $ROWS_BEFORE_T, got $count rows with max id $max_id (${elapsed}s)"
fi

echo "pgbackrest drill: PASS restored to $target: $count of $((ROWS_BEFORE_T + ROWS_AFTER_T)) rows, max id $max_id (full backup + WAL replay, ${elapsed}s)"
