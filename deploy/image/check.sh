#!/usr/bin/env bash
# Builds Kennel's production image from deploy/Dockerfile with podman and
# checks it on loopback: size, contents, the API answering, the user it runs
# as, host name resolution inside it, and a clean stop on SIGTERM.
# Prints one line per check and a verdict; exits 1 when any check fails.
#
# Podman here runs rootful with runc, the vfs storage driver and its storage
# in a temporary folder, so nothing is left behind and no registry is needed
# (the image is FROM scratch). See docs/operations.md, "Container image".
set -euo pipefail

usage() {
    cat <<'EOF'
Usage: deploy/image/check.sh [-h]

Builds the release binary first when it is missing or older than the sources
(${CARGO_TARGET_DIR:-target}/release/kennel), lays out the image context with
deploy/image/build-rootfs.sh, builds deploy/Dockerfile with podman and runs
the image with host networking on a free loopback port.

Needs root (or sudo) for podman and for the DNS stand-in on 127.0.0.153:53;
installs podman, runc, curl and jq from Debian's packages when missing.
Environment:
  KENNEL_IMAGE_MAX_BYTES   size limit (default 25000000, i.e. 25 MB)
  KENNEL_BUILD_TIMEOUT     seconds allowed for cargo build (default 2400)
EOF
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
    "") ;;
    *) usage >&2; exit 2 ;;
esac

repo="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$repo"

max_bytes="${KENNEL_IMAGE_MAX_BYTES:-25000000}"
build_timeout="${KENNEL_BUILD_TIMEOUT:-2400}"
# cargo resolves a relative CARGO_TARGET_DIR against the directory it runs in,
# which is the repository root here.
target_dir="${CARGO_TARGET_DIR:-target}"
[[ "$target_dir" == /* ]] || target_dir="$repo/$target_dir"
binary="$target_dir/release/kennel"
image="localhost/kennel:check"
container="kennel-check-$$"
app_uid=65532
# 127.0.0.53 is systemd-resolved's on many hosts; this one is unlikely taken.
dns_addr=127.0.0.153
files_name=kennel-db-files.test
dns_name=kennel-db-dns.test
unknown_name=kennel-db-nowhere.test

passed=0
failed=0
started=$SECONDS

pass() {
    passed=$((passed + 1))
    printf 'PASS  %-42s %s\n' "$1" "${2:-}"
}
fail() {
    failed=$((failed + 1))
    printf 'FAIL  %-42s %s\n' "$1" "${2:-}"
}

as_root() {
    if [[ "$(id -u)" -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "check: needs root or sudo to run: $*" >&2
        return 1
    fi
}

verdict() {
    local result=PASS
    [[ $failed -eq 0 ]] || result=FAIL
    echo "verdict: $result ($passed passed, $failed failed, $((SECONDS - started))s)"
    [[ $failed -eq 0 ]]
}

# A check that cannot go on without its predecessor ends the run here.
give_up() {
    fail "$1" "${2:-}"
    verdict || true
    exit 1
}

# --- tools -----------------------------------------------------------------
missing=()
for entry in podman:podman runc:runc curl:curl jq:jq python3:python3; do
    command -v "${entry%%:*}" >/dev/null 2>&1 || missing+=("${entry##*:}")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    if ! { as_root apt-get update -q >/dev/null \
        && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends "${missing[@]}" >/dev/null; }; then
        give_up "tools (podman, runc, curl, jq)" "apt-get install ${missing[*]} failed"
    fi
fi
pass "tools (podman, runc, curl, jq)" "$(podman --version), $(runc --version | head -n 1)"

# --- temporary podman world, removed by the trap -------------------------------
tmp="$(mktemp -d "${TMPDIR:-/tmp}/kennel-image-check.XXXXXX")"
chmod 0755 "$tmp"
stub_pid=""
# Two paths are fixed for root whatever the flags: buildah's blob-info cache,
# and runc's state folder, which podman's exit-time cleanup uses. They are
# removed afterwards only when this run created them.
blob_cache=/var/lib/containers/cache/blob-info-cache-v1.boltdb
blob_cache_existed=false
[[ -e "$blob_cache" ]] && blob_cache_existed=true
runc_state_existed=false
[[ -e /run/runc ]] && runc_state_existed=true

# Every podman call is bounded (pm_timeout seconds, 120 unless set).
# --foreground keeps the command in this script's process group, so stopping
# the check (Ctrl-C, or a caller killing the group) stops it too.
pm() {
    as_root timeout --foreground "${pm_timeout:-120}" env CONTAINERS_CONF="$tmp/containers.conf" podman \
        --root "$tmp/storage" --runroot "$tmp/run" --storage-driver vfs "$@"
}

cleanup() {
    set +e
    if [[ -n "$stub_pid" ]]; then
        as_root kill "$stub_pid" 2>/dev/null
        wait "$stub_pid" 2>/dev/null
    fi
    pm_timeout=30 pm rm --all --force --time 0 >/dev/null 2>&1
    # Anything podman left mounted below the folder would survive rm -rf.
    findmnt -rn -o TARGET | grep -F "$tmp/" | sort -r | while read -r m; do
        as_root umount -l "$m"
    done
    as_root rm -rf "$tmp"
    if [[ "$blob_cache_existed" == false ]]; then
        as_root rm -f "$blob_cache"
        as_root rmdir /var/lib/containers/cache /var/lib/containers 2>/dev/null
    fi
    # rmdir, not rm: a folder holding another runc user's state stays.
    [[ "$runc_state_existed" == true ]] || as_root rmdir /run/runc 2>/dev/null
}
trap cleanup EXIT

# Explicit limits, because podman's defaults ask for more open files and
# processes than a sandboxed machine's hard limits allow, and runc then fails
# with "error setting rlimit type 7: operation not permitted".
nofile="$(ulimit -Hn)"
nproc="$(ulimit -Hu)"
[[ "$nofile" == unlimited || "$nofile" -gt 65536 ]] && nofile=65536
[[ "$nproc" == unlimited || "$nproc" -gt 4096 ]] && nproc=4096
cat >"$tmp/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
# The runtime installed above; podman would otherwise look for crun first.
runtime = "runc"
# No systemd as PID 1 and no journald on such machines.
cgroup_manager = "cgroupfs"
events_logger = "file"
tmp_dir = "$tmp/libpod"

[network]
network_config_dir = "$tmp/net"
EOF

# --- the binary ------------------------------------------------------------
sources_newer_than_binary() {
    local paths=(Cargo.toml Cargo.lock .cargo migrations crates/*/Cargo.toml crates/*/src)
    local p
    for p in rust-toolchain rust-toolchain.toml crates/*/build.rs; do
        [[ -e "$p" ]] && paths+=("$p")
    done
    [[ -n "$(find "${paths[@]}" -type f -newer "$binary" -print -quit 2>/dev/null)" ]]
}

if [[ ! -x "$binary" ]] || sources_newer_than_binary; then
    start=$SECONDS
    if timeout --foreground "$build_timeout" cargo build --release --locked -p kennel >"$tmp/cargo.log" 2>&1; then
        pass "release binary" "built in $((SECONDS - start))s: $binary"
    else
        tail -n 30 "$tmp/cargo.log" | sed 's/^/      /'
        give_up "release binary" "cargo build --release --locked -p kennel failed"
    fi
else
    pass "release binary" "up to date: $binary"
fi

# --- image -------------------------------------------------------------------
if ! deploy/image/build-rootfs.sh "$binary" "$tmp/context" >"$tmp/rootfs.log" 2>&1; then
    sed 's/^/      /' "$tmp/rootfs.log"
    give_up "rootfs (deploy/image/build-rootfs.sh)" "failed"
fi
pass "rootfs (deploy/image/build-rootfs.sh)" "$(tail -n 1 "$tmp/rootfs.log" | sed 's/^build-rootfs: [^:]*: //')"

# Error reports name Kennel's functions from the symbol table: the image's
# binary must keep those names (and only those; the rest is dropped for size).
thin="$tmp/context/rootfs/usr/local/bin/kennel"
ours="$(nm --demangle=rust "$thin" 2>/dev/null | grep -c ' kennel::' || true)"
others="$(nm "$thin" 2>/dev/null | grep -vc kennel || true)"
if [[ "$ours" -gt 100 && "$others" -eq 0 ]]; then
    pass "binary keeps Kennel's names only" "$ours kennel:: symbols, $(stat -c %s "$binary" | awk '{printf "%.1f", $1/1e6}') -> $(stat -c %s "$thin" | awk '{printf "%.1f", $1/1e6}') MB"
else
    fail "binary keeps Kennel's names only" "$ours kennel:: symbols, $others others"
fi

# Docker's manifest format, as docker buildx pushes it, rather than podman's
# default OCI one.
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
start=$SECONDS
if ! pm_timeout=300 pm build --quiet --format docker --pull=never -f deploy/Dockerfile -t "$image" \
    --build-arg "REVISION=$revision" "$tmp/context" >"$tmp/build.log" 2>&1; then
    tail -n 30 "$tmp/build.log" | sed 's/^/      /'
    give_up "image build (deploy/Dockerfile)" "podman build failed"
fi
pass "image build (deploy/Dockerfile)" "$((SECONDS - start))s"

size="$(pm image inspect --format '{{.Size}}' "$image")"
size_mb="$(awk -v b="$size" 'BEGIN { printf "%.1f MB", b / 1000000 }')"
if [[ "$size" -le "$max_bytes" ]]; then
    pass "image size <= $((max_bytes / 1000000)) MB" "$size_mb ($size bytes)"
else
    fail "image size <= $((max_bytes / 1000000)) MB" "$size_mb ($size bytes)"
fi

user="$(pm image inspect --format '{{.Config.User}}' "$image")"
entrypoint="$(pm image inspect --format '{{json .Config.Entrypoint}} {{json .Config.Cmd}}' "$image")"
if [[ "$user" == "$app_uid:$app_uid" && "$entrypoint" == '["/usr/local/bin/kennel"] ["serve"]' ]]; then
    pass "image config (USER, ENTRYPOINT, CMD)" "user $user, $entrypoint"
else
    fail "image config (USER, ENTRYPOINT, CMD)" "user '$user', $entrypoint"
fi

# The image's files, as a runtime sees them: no shell, the CA bundle,
# nsswitch.conf, and /data owned by the service user.
pm create --name "$container-fs" "$image" >/dev/null
pm export "$container-fs" >"$tmp/fs.tar"
pm rm "$container-fs" >/dev/null
tar --numeric-owner -tvf "$tmp/fs.tar" >"$tmp/fs.list"
problems=()
grep -Eq ' (usr/)?bin/(sh|bash|dash|ash|busybox)$' "$tmp/fs.list" && problems+=("a shell is present")
grep -Eq ' usr/local/bin/kennel$' "$tmp/fs.list" || problems+=("no /usr/local/bin/kennel")
[[ "$(tar -xOf "$tmp/fs.tar" etc/ssl/certs/ca-certificates.crt 2>/dev/null | grep -c 'BEGIN CERTIFICATE')" -gt 50 ]] \
    || problems+=("no CA bundle")
tar -xOf "$tmp/fs.tar" etc/nsswitch.conf 2>/dev/null | grep -Eq '^hosts:[[:space:]]+files dns$' \
    || problems+=("nsswitch.conf lacks 'hosts: files dns'")
grep -Eq "^d[rwx-]{9} $app_uid/$app_uid .* data/?\$" "$tmp/fs.list" || problems+=("/data not owned by $app_uid")
if [[ ${#problems[@]} -eq 0 ]]; then
    pass "image files (no shell, CA, NSS, /data)" "$(grep -c . "$tmp/fs.list") entries"
else
    fail "image files (no shell, CA, NSS, /data)" "$(IFS=';'; echo "${problems[*]}")"
fi

# --- running it ----------------------------------------------------------------
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
# staging and production need Cloud SQL and a bucket, so the image runs as
# "local": SQLite and photos in the image's own /data, demo data loaded.
if ! pm run -d --name "$container" --network host \
    -e APP_ENV=local -e PORT="$port" -e HOST=127.0.0.1 \
    -e DATABASE_URL=sqlite:///data/kennel.db -e STORAGE_URL=file:///data/photos \
    "$image" serve --demo >"$tmp/run.log" 2>&1; then
    sed 's/^/      /' "$tmp/run.log"
    give_up "container starts (serve --demo)" "podman run failed"
fi

start=$SECONDS
up=false
while [[ $((SECONDS - start)) -lt 60 ]]; do
    if curl -fsS -o /dev/null --max-time 2 "$base/healthz" 2>/dev/null; then
        up=true
        break
    fi
    [[ "$(pm inspect --format '{{.State.Running}}' "$container")" == true ]] || break
    sleep 0.3
done
if [[ "$up" == true ]]; then
    pass "container starts (serve --demo)" "answering on $base after $((SECONDS - start))s"
else
    pm logs "$container" 2>&1 | tail -n 20 | sed 's/^/      /'
    give_up "container starts (serve --demo)" "no answer on $base within 60s"
fi

http_check() {
    local path=$1 want_json=$2 out code ctype
    out="$(curl -sS -o "$tmp/body" -w '%{http_code} %{content_type}' --max-time 10 "$base$path" 2>&1)" || true
    read -r code ctype <<<"$out"
    if [[ "$code" != 200 ]]; then
        fail "GET $path" "HTTP $out"
        return
    fi
    if [[ "$want_json" == json ]]; then
        if [[ "$ctype" != application/json* ]] || ! jq -e '.items | length == 1' "$tmp/body" >/dev/null 2>&1; then
            fail "GET $path" "200 but not a JSON page with one puppy ($ctype)"
            return
        fi
        pass "GET $path" "200 $ctype, first: $(jq -r '.items[0].name + " (" + .items[0].breed.name + ")"' "$tmp/body")"
        return
    fi
    pass "GET $path" "200 $(head -c 80 "$tmp/body")"
}
http_check /healthz any
http_check /readyz any
http_check '/v1/puppies?limit=1' json

# The kernel's view of the process, not the image's configuration.
pid="$(pm inspect --format '{{.State.Pid}}' "$container")"
uids="$(as_root cat "/proc/$pid/status" 2>/dev/null | awk '/^Uid:/ { print $2, $3 }' || true)"
if [[ -n "$uids" && "$uids" == "$app_uid $app_uid" ]]; then
    pass "process runs as non-root" "real/effective UID $uids (host PID $pid)"
else
    fail "process runs as non-root" "real/effective UID '${uids:-unknown}'"
fi

# --- name resolution inside the image ---------------------------------------------
# kennel itself is the resolver test (the image has nothing else): `kennel
# migrate` is pointed at a Postgres host name, and the stub shows whether the
# name was looked up over DNS and whether a connection arrived. Everything
# stays on loopback; a real external lookup is impossible without network.
# Started without the as_root function, so that $! is the stub itself (or
# sudo, which passes the signal on) and the trap can stop it.
stub=(python3 deploy/image/resolver_stub.py --dns-addr "$dns_addr" --answer "$dns_name=127.0.0.1" --lifetime 120)
[[ "$(id -u)" -eq 0 ]] || stub=(sudo "${stub[@]}")
"${stub[@]}" >"$tmp/stub.log" 2>&1 &
stub_pid=$!
stub_port=""
for _ in $(seq 1 50); do
    stub_port="$(sed -n 's/^port //p' "$tmp/stub.log")"
    [[ -n "$stub_port" ]] && break
    sleep 0.1
done
printf 'nameserver %s\noptions timeout:1 attempts:1\n' "$dns_addr" >"$tmp/resolv.conf"

# Runs `kennel migrate` against HOST and prints what kennel said.
resolve_via_kennel() {
    local host=$1
    shift
    pm_timeout=60 pm run --rm --network host -v "$tmp/resolv.conf:/etc/resolv.conf:ro" "$@" \
        -e APP_ENV=local -e "DATABASE_URL=postgres://kennel@$host:$stub_port/kennel" \
        "$image" migrate 2>&1 | tail -n 1 || true
}
connects() { grep -c '^tcp-connect' "$tmp/stub.log" || true; }
asked_dns() { grep -c "^dns $1 " "$tmp/stub.log" || true; }

if [[ -z "$stub_port" ]]; then
    fail "DNS: files (/etc/hosts)" "stub did not start: $(tail -n 1 "$tmp/stub.log")"
    fail "DNS: dns (resolv.conf nameserver)" "stub did not start"
else
    # files: the name is only in /etc/hosts. The stub answers NXDOMAIN for it,
    # so it resolves only if files is asked before dns.
    before="$(connects)"
    said="$(resolve_via_kennel "$files_name" --add-host "$files_name:127.0.0.1")"
    if [[ "$(connects)" -gt "$before" && "$(asked_dns "$files_name")" -eq 0 ]]; then
        pass "DNS: files (/etc/hosts)" "$files_name resolved and connected, no DNS query"
    else
        fail "DNS: files (/etc/hosts)" "kennel: $said"
    fi
    # dns: the name is only known to the stub nameserver.
    before="$(connects)"
    said="$(resolve_via_kennel "$dns_name")"
    if [[ "$(connects)" -gt "$before" && "$(asked_dns "$dns_name")" -gt 0 ]]; then
        pass "DNS: dns (resolv.conf nameserver)" "$dns_name asked $(asked_dns "$dns_name")x, resolved and connected"
    else
        fail "DNS: dns (resolv.conf nameserver)" "kennel: $said"
    fi
    # The control: a name nobody knows must fail as a lookup, which shows the
    # two passes above come from resolution and not from something else.
    said="$(resolve_via_kennel "$unknown_name")"
    if [[ "$said" == *"failed to lookup address information"* ]]; then
        pass "DNS: unknown name fails as a lookup" "$unknown_name: failed to lookup address information"
    else
        fail "DNS: unknown name fails as a lookup" "kennel: $said"
    fi
fi

# --- stopping ------------------------------------------------------------------
# podman stop sends SIGTERM and waits; the 20 s allowance is longer than the
# 10 s limit so that a slow stop is measured instead of cut short by SIGKILL.
t0="$(date +%s%N)"
pm stop -t 20 "$container" >/dev/null 2>&1 || true
t1="$(date +%s%N)"
stop_ms=$(((t1 - t0) / 1000000))
exit_code="$(pm inspect --format '{{.State.ExitCode}}' "$container")"
stop_s="$(awk -v ms="$stop_ms" 'BEGIN { printf "%.2f", ms / 1000 }')"
if [[ "$exit_code" == 0 && $stop_ms -le 10000 ]]; then
    pass "SIGTERM stops it cleanly within 10 s" "exit code 0 after ${stop_s}s"
else
    pm logs "$container" 2>&1 | tail -n 5 | sed 's/^/      /'
    fail "SIGTERM stops it cleanly within 10 s" "exit code $exit_code after ${stop_s}s"
fi

verdict
