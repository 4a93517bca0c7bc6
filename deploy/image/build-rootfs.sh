#!/usr/bin/env bash
# Lays out the build context of Kennel's production image (deploy/Dockerfile):
# the release binary, exactly the shared libraries it links and the dynamic
# loader, Debian's CA bundle, and the few /etc files that glibc's name service
# switch reads. The image is FROM scratch, so this folder is all there is.
#
# Why glibc is copied instead of linked statically: getaddrinfo goes through
# NSS, which a static glibc cannot load, so a static binary could not resolve
# Cloud SQL, Google APIs or any other host name. Since glibc 2.34 the "files"
# and "dns" NSS modules are part of libc.so.6, so nsswitch.conf plus libc is
# enough; no libnss_*.so needs copying.
set -euo pipefail
# Modes are copied into the image as they are here; a tight umask would make
# the loader or the CA bundle unreadable for the unprivileged user.
umask 022

usage() {
    cat <<'USAGE'
Usage: deploy/image/build-rootfs.sh BINARY OUTDIR

  BINARY  the release build of kennel (cargo build --release --locked -p kennel)
  OUTDIR  folder to create (must not exist, or be empty); it becomes the image
          build context:
            OUTDIR/rootfs/  the image's files, owned by root in the image
            OUTDIR/data/    empty; becomes /data, owned by UID 65532

Then: docker build -f deploy/Dockerfile -t kennel OUTDIR
Environment:
  CA_BUNDLE   PEM bundle to install (default /etc/ssl/certs/ca-certificates.crt,
              from Debian's or Ubuntu's ca-certificates package)
Requires: ldd, readelf, nm and objcopy (binutils), from the same system that
built BINARY.
USAGE
}

case "${1:-}" in
    -h | --help) usage; exit 0 ;;
esac
if [[ $# -ne 2 ]]; then
    usage >&2
    exit 2
fi

binary=$1
out=$2
ca_bundle="${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
# The image's user; deploy/Dockerfile's USER and COPY --chown say the same.
app_uid=65532
app_gid=65532

die() {
    echo "build-rootfs: $*" >&2
    exit 1
}

for cmd in ldd readelf nm objcopy; do
    command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is required"
done
[[ -f "$binary" && -x "$binary" ]] || die "$binary is not an executable file"
[[ -s "$ca_bundle" ]] || die "CA bundle $ca_bundle is missing (install the ca-certificates package)"
grep -q 'BEGIN CERTIFICATE' "$ca_bundle" || die "$ca_bundle holds no PEM certificate"
if [[ -e "$out" ]] && [[ -n "$(ls -A "$out")" ]]; then
    die "$out exists and is not empty"
fi

# A static glibc binary would start here and then fail at its first host
# name lookup, far from this script, so it is refused now.
interp="$(readelf -l "$binary" | sed -n 's/.*Requesting program interpreter: \(.*\)\]$/\1/p')"
[[ -n "$interp" ]] || die "$binary is statically linked; the image expects a dynamically linked glibc build (see the header of this script)"

root="$out/rootfs"
mkdir -p "$root" "$out/data"

# Copies a file to the same absolute path inside the image. -L because the
# host path is often a symlink (merged /usr, /lib64 -> loader), and the image
# needs the file itself under the name the loader or binary asks for.
install_at_same_path() {
    local src=$1
    mkdir -p "$root$(dirname "$src")"
    cp -L "$src" "$root$src"
    chmod 0755 "$root$src"
}

# ldd prints "name => /path (addr)" for libraries and "/path (addr)" for the
# loader; the vDSO has no path. Anything "not found" would break at start-up.
libs=()
while read -r line; do
    case "$line" in
        *"not found"*) die "unresolved shared library: $line" ;;
        *"=> /"*) libs+=("$(sed -E 's/.*=> (\/[^ ]+).*/\1/' <<<"$line")") ;;
        /*) libs+=("${line%% *}") ;;
    esac
done < <(ldd "$binary")
[[ ${#libs[@]} -gt 0 ]] || die "ldd listed no shared library for $binary"

interp_found=false
for lib in "${libs[@]}"; do
    install_at_same_path "$lib"
    [[ "$lib" == "$interp" ]] && interp_found=true
done
# The kernel starts the binary through the interpreter path written in its
# ELF header, whatever ldd printed.
if [[ "$interp_found" == false ]]; then
    install_at_same_path "$interp"
fi

mkdir -p "$root/usr/local/bin"
# The release build keeps its symbol table (about 3 MB) so that error reports
# name the functions an error passed through. Reports only need Kennel's own
# names (error_tracking.rs fingerprints by the innermost Kennel function and
# marks only Kennel's frames in-app), so the image keeps those and drops the
# rest: other crates' frames are reported by address.
keep="$(mktemp)"
nm --defined-only "$binary" | awk '$3 ~ /kennel/ {print $3}' >"$keep"
[[ -s "$keep" ]] || die "$binary has no Kennel symbols (built with strip = \"symbols\"?)"
objcopy --strip-all --keep-symbols="$keep" "$binary" "$root/usr/local/bin/kennel"
rm -f "$keep"
chmod 0755 "$root/usr/local/bin/kennel"

# rustls-native-certs finds this path through openssl-probe; the bundle is
# what HTTPS to Google Cloud Storage, S3 and other providers is checked against.
mkdir -p "$root/etc/ssl/certs"
cp -L "$ca_bundle" "$root/etc/ssl/certs/ca-certificates.crt"
chmod 0644 "$root/etc/ssl/certs/ca-certificates.crt"

# /etc/hosts must win over DNS. glibc 2.35 and later default to that order
# when this file is missing, older ones ask DNS first; writing it down makes
# the image behave the same whichever glibc the binary was built against.
cat >"$root/etc/nsswitch.conf" <<'NSS'
passwd: files
group: files
hosts: files dns
NSS

# glibc and the runtimes resolve the numeric USER through these entries;
# "nologin" documents that nobody logs in (there is no shell at all).
cat >"$root/etc/passwd" <<PASSWD
root:x:0:0:root:/root:/sbin/nologin
kennel:x:$app_uid:$app_gid:kennel:/data:/sbin/nologin
PASSWD
cat >"$root/etc/group" <<GROUP
root:x:0:
kennel:x:$app_gid:
GROUP

# Container runtimes and Cloud Run mount their own /etc/hosts over this one;
# it only keeps "localhost" resolvable where a runtime provides none.
cat >"$root/etc/hosts" <<'HOSTS'
127.0.0.1	localhost
::1	localhost ip6-localhost ip6-loopback
HOSTS
chmod 0644 "$root/etc/nsswitch.conf" "$root/etc/passwd" "$root/etc/group" "$root/etc/hosts"

# Some libraries write temporary files; /tmp is world-writable and sticky as
# on any Unix system.
mkdir -p "$root/tmp"
chmod 1777 "$root/tmp"

names=()
for lib in "${libs[@]}"; do
    names+=("${lib##*/}")
done
echo "build-rootfs: $out: kennel + ${names[*]}, CA bundle, /etc files; $(du -sh "$out" | cut -f1)"
