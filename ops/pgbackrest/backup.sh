#!/usr/bin/env bash
# Scheduled pgBackRest backup for a self-hosted Kennel Postgres, run by cron as
# the postgres user (see kennel-backup.cron). On success it records the time
# for Prometheus' node_exporter textfile collector, which is what the
# KennelBackupStale alert watches; on failure it leaves the old time in place
# so the alert fires once the last good backup is older than 26 hours.
set -euo pipefail

usage() {
    cat <<'USAGE'
Usage: ops/pgbackrest/backup.sh full|diff|incr

Environment:
  PGBACKREST_STANZA   stanza to back up (default kennel)
  TEXTFILE_DIR        node_exporter textfile collector directory
                      (default /var/lib/prometheus/node-exporter)
USAGE
}

if [[ $# -ne 1 ]]; then
    usage >&2
    exit 2
fi
case "$1" in
    full | diff | incr) type=$1 ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
esac

stanza="${PGBACKREST_STANZA:-kennel}"
textfile_dir="${TEXTFILE_DIR:-/var/lib/prometheus/node-exporter}"

pgbackrest --stanza="$stanza" --type="$type" backup

# Written to a temporary file and renamed so the collector never reads half a file.
tmp="$(mktemp "$textfile_dir/.kennel_backup.XXXXXX")"
trap 'rm -f "$tmp"' EXIT
{
    echo "# HELP kennel_backup_last_success_timestamp_seconds Unix time of the last successful database backup."
    echo "# TYPE kennel_backup_last_success_timestamp_seconds gauge"
    echo "kennel_backup_last_success_timestamp_seconds{stanza=\"$stanza\",type=\"$type\"} $(date +%s)"
} >"$tmp"
chmod 0644 "$tmp"
mv "$tmp" "$textfile_dir/kennel_backup.prom"
