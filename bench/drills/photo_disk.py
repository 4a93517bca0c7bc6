#!/usr/bin/env python3
"""Drill: the photo folder fills up, then turns read-only, during uploads.

The photo folder (STORAGE_URL=file://…) is a small tmpfs mounted for the drill.
A staff member of a shelter uploads photos while client threads browse.

1. Healthy: two photos upload (201), which measures what each takes (the
   conversion is deterministic).
2. Full: the file system is filled to leave room for the first of those
   photos and half the second, then the same two are uploaded again in one
   request: the first is written whole, the second runs out of space half-way,
   so a clean result means the first one's objects were removed again.
3. Read-only: the file system is remounted read-only and one photo uploaded.

Claim: each failed upload is answered with a clear 5xx problem
(application/problem+json, `storage_unavailable`), leaves no row (photos,
audit log) and no object or temporary file behind (the free space is what it
was before the request), the server keeps serving browse and photo reads, and
uploads work again once space is freed or the folder is writable, without a
restart.

Fault check: before each failing upload the drill proves the fault is real: the
free space is smaller than the upload needs (writing a byte past it fails with
ENOSPC), or creating a file fails with EROFS; and the server's log names the
same error.
"""
import errno
import os
import sqlite3
import subprocess
import sys

from common import (Kennel, Load, PASSWORD, Workspace, browse_paths, browse_work, call, check,
                    expect, log, login, main, multipart, need, png)

SIZE_MB = 16
PHOTO = (900, 700)


def mount_tmpfs(path):
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={SIZE_MB}m,mode=0755", "tmpfs", path],
                            capture_output=True, text=True)
    need(result.returncode == 0,
         f"cannot mount a tmpfs for the photo folder (needs root or CAP_SYS_ADMIN): "
         f"{result.stderr.strip()}")


def remount(path, mode):
    result = subprocess.run(["mount", "-o", f"remount,{mode}", path], capture_output=True, text=True)
    check(result.returncode == 0, f"remount {mode} failed: {result.stderr.strip()}")


def free_bytes(path):
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def files_under(root):
    found = {}
    for folder, _, names in os.walk(root):
        for name in names:
            full = os.path.join(folder, name)
            found[os.path.relpath(full, root)] = os.path.getsize(full)
    return found


def fill(path, leave):
    """Fills the file system, then frees `leave` bytes; returns the filler's path."""
    filler = os.path.join(path, "filler")
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        for chunk in (b"\0" * (1 << 20), b"\0" * 4096):
            try:
                while True:
                    os.write(fd, chunk)
            except OSError as e:
                check(e.errno == errno.ENOSPC, f"filling failed with {e}")
    finally:
        os.close(fd)
    check(free_bytes(path) == 0, f"the file system is not full: {free_bytes(path)} bytes free")
    size = os.path.getsize(filler)
    os.truncate(filler, max(0, size - leave))
    return filler


def writes_fail(path, err, size=8192):
    """True when writing `size` bytes to a new file fails with `err`."""
    probe = os.path.join(path, f"probe-{os.getpid()}")
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT, 0o644)
    except OSError as e:
        return e.errno == err
    try:
        data = memoryview(b"x" * size)
        while data:
            data = data[os.write(fd, data):]  # a short write first, then the error
        os.fsync(fd)
        return False
    except OSError as e:
        return e.errno == err
    finally:
        os.close(fd)
        os.unlink(probe)


def drill():
    ws = Workspace("photo-disk")
    try:
        photos = os.path.join(ws.path, "photos")
        os.makedirs(photos)
        mount_tmpfs(photos)

        def unmount():
            subprocess.run(["umount", "-l", photos], capture_output=True)

        ws.on_exit(unmount)
        kennel = Kennel(ws.path, photos=photos)
        ws.on_exit(kennel.stop)
        kennel.seed()
        kennel.cli("flags", "set", "photo_uploads", "on")
        kennel.start()
        items = kennel.first_puppies(10)
        puppy = items[0]["id"]
        organization = items[0]["organization"]["id"]
        email = f"staff-{os.getpid()}@drill.example"
        password_file = os.path.join(ws.path, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD)
        kennel.cli("admin", "create", "--email", email, "--role", "staff", "--organization",
                   organization, "--display-name", "Drill Staff", "--password-file", password_file)
        token = login(kennel.port, email)
        db = sqlite3.connect(os.path.join(ws.path, "kennel.db"))
        ws.on_exit(db.close)
        puppy_dir = os.path.join(photos, "puppies", puppy)
        variant = next(v["url"] for v in items[1]["photo"]["variants"]) if items[1]["photo"] else None

        def snapshot():
            detail = expect(call(kennel.port, "GET", f"/v1/puppies/{puppy}"), 200, "puppy detail").json()
            rows = db.execute("SELECT (SELECT count(*) FROM photos), (SELECT count(*) FROM audit_log)").fetchone()
            return {"api_photos": len(detail["photos"]), "ids": [p["id"] for p in detail["photos"]],
                    "rows": rows,
                    "files": files_under(puppy_dir) if os.path.isdir(puppy_dir) else {}}

        def upload(seeds):
            body, content_type = multipart([(f"drill-{seed}.png", png(*PHOTO, seed=seed))
                                            for seed in seeds])
            return call(kennel.port, "POST", f"/v1/puppies/{puppy}/photos", token=token, timeout=60,
                        body=body, headers={"Content-Type": content_type})

        def assert_clean_failure(r, before, free_before, what):
            check(r.status is not None and 500 <= r.status < 600,
                  f"{what}: upload answered {r.describe()}, expected a 5xx problem")
            check("application/problem+json" in r.content_type,
                  f"{what}: the {r.status} is {r.content_type or 'no content type'}, not problem+json")
            check(r.code == "storage_unavailable", f"{what}: problem code {r.code!r}")
            after = snapshot()
            check(after["api_photos"] == before["api_photos"] and after["rows"] == before["rows"],
                  f"{what}: rows changed: {before['api_photos']}/{before['rows']} -> "
                  f"{after['api_photos']}/{after['rows']}")
            check(after["files"] == before["files"],
                  f"{what}: files left behind: {sorted(set(after['files']) - set(before['files']))}")
            check(free_bytes(photos) == free_before,
                  f"{what}: {free_before - free_bytes(photos)} bytes still taken after the failure")
            check(call(kennel.port, "GET", "/healthz").status == 200, f"{what}: /healthz failed")
            return r

        load = Load(kennel.port, 2, browse_work(browse_paths([i["id"] for i in items])),
                    timeout=15, pause=0.005).start()

        # 1. Healthy: the two photos of the later full-disk upload go in once,
        # which measures what each takes (the conversion is deterministic).
        pair = [10, 11]
        before = snapshot()
        expect(upload(pair), 201, "upload with a healthy photo folder")
        healthy = snapshot()
        added = [i for i in healthy["ids"] if i not in before["ids"]]
        check(healthy["api_photos"] == before["api_photos"] + 2 and len(added) == 2,
              "a healthy upload of two photos did not add two photos")
        sizes = []
        for photo_id in added:
            folder = photo_id.replace("-", "") + os.sep
            files = [size for name, size in healthy["files"].items() if name.startswith(folder)]
            check(len(files) >= 2, f"photo {photo_id} was stored as {len(files)} files")
            sizes.append(sum(-(-size // 4096) * 4096 for size in files))

        # 2. Full: room for the first photo and half the second. The first is
        # written whole before the second runs out of space, so a clean result
        # means the first one's objects were removed again.
        filler = fill(photos, sizes[0] + sizes[1] // 2 // 4096 * 4096)
        full_free = free_bytes(photos)
        check(sizes[0] <= full_free < sizes[0] + sizes[1],
              f"{full_free} bytes free do not fit photo 1 ({sizes[0]}) without photo 2 ({sizes[1]})")
        check(writes_fail(photos, errno.ENOSPC, full_free + 4096),
              "writing past the free space did not fail with ENOSPC")
        before = snapshot()
        full = assert_clean_failure(upload(pair), before, full_free, "disk full")
        leftover_dirs = [d for d, _, names in os.walk(puppy_dir) if not names and d != puppy_dir]
        check("No space left" in open(kennel.log_path, errors="replace").read(),
              "the server's log does not show the out-of-space error")
        os.unlink(filler)
        expect(upload([20]), 201, "upload after space was freed")

        # 3. Read-only.
        remount(photos, "ro")
        check(writes_fail(photos, errno.EROFS), "the photo folder is still writable after remount,ro")
        free_before = free_bytes(photos)
        before = snapshot()
        readonly = assert_clean_failure(upload([30]), before, free_before, "read-only")
        check("Read-only file system" in open(kennel.log_path, errors="replace").read(),
              "the server's log does not show the read-only error")
        if variant:
            path = variant.split(f":{kennel.port}", 1)[1]
            expect(call(kennel.port, "GET", path), 200, "a photo read from the read-only folder")
        remount(photos, "rw")
        expect(upload([40]), 201, "upload after the folder was writable again")

        results = load.stop()
        bad = [r for _, r in results if r.status != 200]
        check(len(results) >= 50, f"only {len(results)} browse requests during the drill")
        check(not bad, f"{len(bad)} browse requests failed during the drill: {bad[0].describe()}"
              if bad else "")
        log(f"the photos take {sizes} bytes; {len(results)} browse requests; "
            f"{len(leftover_dirs)} empty folders after the full-disk failure")
        return (f"disk full ({full_free // 1024} KiB free: photo 1 of {sizes[0] // 1024} KiB fits, "
                f"photo 2 of {sizes[1] // 1024} KiB does not): {full.status} {full.code} problem+json "
                f"in {full.elapsed:.2f} s; read-only: {readonly.status} {readonly.code} problem+json; "
                f"both left no row, file or used byte; uploads 201 again after freeing space and "
                f"remounting rw; {len(results)} browse requests all 200; ENOSPC and EROFS checked "
                f"before each failing upload and named in the server log")
    finally:
        ws.close()


if __name__ == "__main__":
    sys.exit(main("photo-disk", drill))
