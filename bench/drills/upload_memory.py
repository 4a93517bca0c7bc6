#!/usr/bin/env python3
"""Drill: worst-case photo uploads at once stay inside the memory budget.

A staff member sends, three at a time:

1. the largest uploads Kennel accepts: four 6,000 × 6,000 8-bit RGB PNGs each
   (36 megapixels, just under the conversion budget of 160 MiB each), each
   padded to just under 10 MB, so every body is about 40 MB; and
2. four 8,000 × 5,000 PNGs at 16 bits a channel with alpha each (40
   megapixels, within the pixel limit, but 320 MB decoded), which must be
   refused with 422 `image_too_large` before decoding.

Claim: every answer is 201 or 503 `overloaded` (at most MAX_CONCURRENT_UPLOADS,
2 by default, are read at once; the client may see the 503 as a reset while it
is still sending) for the first round and 422 `image_too_large` (at least one)
or 503 `overloaded` for the second, and the server's peak resident memory
(VmHWM) stays below 384 MiB: the documented photo budget of 256 MiB (2 upload
bodies of up to 40 MB, 160 MiB of conversions) plus the process itself.
The figures printed are the peak, the answers and the time taken.

Fault check: the uploads really are that large (the request sizes and image
headers are printed), and at least one of the first round was converted
(201), so the conversion memory was really used.
"""
import os
import struct
import threading
import time
import zlib

from common import (Kennel, PASSWORD, Workspace, call, check, log, login, main, multipart)

BUDGET_MIB = 384
# An upload refused before its body is read (503 `overloaded` when both upload
# slots are taken) is answered at once and the connection closed; a client
# still sending its body may see the connection reset instead of the answer.
REFUSED_UNREAD = (None, None)
# Just under the 10 MB a photo: four make the largest upload body.
PART_BYTES = 10 * 1024 * 1024 - 4096


def png(width, height, bit_depth, colour_type, channels, seed, pad_to=0):
    """A large, cheaply generated PNG: a varied band on top, a flat rest;
    random bytes after its end (which decoders ignore) bring the file to
    `pad_to` bytes, so the upload is as large as Kennel takes."""
    bytes_per_pixel = channels * bit_depth // 8
    band = bytes(((x * 7 + seed) % 251) for x in range(width * bytes_per_pixel))
    flat = bytes([0x80]) * (width * bytes_per_pixel)
    compressor = zlib.compressobj(1)
    raw = bytearray()
    for y in range(height):
        raw += compressor.compress(b"\0" + (band if y < 64 else flat))
    raw += compressor.flush()

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", bytes(raw)) + chunk(b"IEND", b"")
    return data + os.urandom(max(0, pad_to - len(data)))


def peak_rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def drill():
    ws = Workspace("upload-memory")
    try:
        kennel = Kennel(ws.path)
        ws.on_exit(kennel.stop)
        kennel.seed()
        kennel.cli("flags", "set", "photo_uploads", "on")
        kennel.start()
        # Six puppies (each has at most 4 demo photos, so 4 more fit), and an
        # administrator, who may add photos to any of them.
        puppies = [i["id"] for i in kennel.first_puppies(6)]
        email = f"admin-{os.getpid()}@drill.example"
        password_file = os.path.join(ws.path, "password")
        with open(password_file, "w") as f:
            f.write(PASSWORD)
        kennel.cli("admin", "create", "--email", email, "--role", "admin",
                   "--display-name", "Drill Admin", "--password-file", password_file)
        token = login(kennel.port, email)
        baseline = peak_rss_mib(kennel.proc.pid)
        log(f"peak RSS after start-up: {baseline:.0f} MiB")

        def round_of(name, make, puppy_ids):
            bodies = []
            for i in range(3):
                body, content_type = multipart([(f"{name}-{i}-{k}.png", make(i * 4 + k))
                                                for k in range(4)])
                bodies.append((body, content_type))
            log(f"{name}: 3 uploads of {len(bodies[0][0]) / 1e6:.1f} MB each")
            answers = [None] * 3

            def send(i):
                body, content_type = bodies[i]
                puppy = puppy_ids[i]
                r = call(kennel.port, "POST", f"/v1/puppies/{puppy}/photos", token=token,
                         timeout=120, body=body, headers={"Content-Type": content_type})
                answers[i] = (r.status, r.code)

            threads = [threading.Thread(target=send, args=(i,)) for i in range(3)]
            started = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            took = time.monotonic() - started
            peak = peak_rss_mib(kennel.proc.pid)
            log(f"{name}: answers {answers}, peak RSS {peak:.0f} MiB, {took:.1f} s")
            return answers, peak, took

        largest, peak1, took1 = round_of(
            "largest-accepted", lambda seed: png(6000, 6000, 8, 2, 3, seed, pad_to=PART_BYTES), puppies[:3])
        check(all(a in ((201, None), (503, "overloaded"), REFUSED_UNREAD) for a in largest),
              f"the largest accepted uploads were answered {largest}")
        check(any(a[0] == 201 for a in largest), f"no upload was converted: {largest}")
        deep, peak2, took2 = round_of(
            "16-bit-rgba", lambda seed: png(8000, 5000, 16, 6, 4, seed), puppies[3:6])
        check(all(a in ((422, "image_too_large"), (503, "overloaded"), REFUSED_UNREAD) for a in deep),
              f"the 16-bit uploads were answered {deep}")
        check(any(a == (422, "image_too_large") for a in deep), f"none was refused as too large: {deep}")
        peak = max(peak1, peak2)
        check(peak < BUDGET_MIB, f"peak RSS {peak:.0f} MiB is over {BUDGET_MIB} MiB")
        check(call(kennel.port, "GET", "/healthz").status == 200, "/healthz failed after the uploads")
        return (f"peak RSS {peak:.0f} MiB (start-up {baseline:.0f} MiB; largest accepted "
                f"{[a[0] for a in largest]} in {took1:.1f} s; 16-bit RGBA {[a[0] for a in deep]} "
                f"in {took2:.1f} s)")
    finally:
        ws.close()


if __name__ == "__main__":
    raise SystemExit(main("upload-memory", drill))
