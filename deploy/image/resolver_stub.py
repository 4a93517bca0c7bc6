#!/usr/bin/env python3
"""Loopback stand-ins for deploy/image/check.sh's name-resolution check.

The image has no shell and no resolver tool, so the check proves that glibc's
getaddrinfo works inside it through kennel itself: kennel is pointed at a
database host name, and this stub shows whether the name was resolved and
connected to. It runs two servers, both on loopback only:

  * a DNS server on DNS_ADDR port 53 (UDP) that answers A queries for the
    names given with --answer, NODATA for their other types, and NXDOMAIN for
    anything else; every query is logged as "dns NAME TYPE";
  * a TCP listener on 127.0.0.1 (ephemeral port, printed first as
    "port N") that logs "tcp-connect" for each connection and closes it.

It exits by itself after --lifetime seconds so a failed check leaves nothing
running.
"""

import argparse
import socket
import struct
import sys
import threading
import time

QTYPES = {1: "A", 28: "AAAA", 5: "CNAME", 12: "PTR", 65: "HTTPS"}


def log(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def parse_question(packet):
    labels, pos = [], 12
    while True:
        length = packet[pos]
        pos += 1
        if length == 0:
            break
        labels.append(packet[pos : pos + length].decode("ascii", "replace"))
        pos += length
    qtype, _qclass = struct.unpack("!HH", packet[pos : pos + 4])
    return ".".join(labels).lower(), qtype, pos + 4


def answer(packet, answers):
    ident, flags = struct.unpack("!HH", packet[:4])
    name, qtype, end = parse_question(packet)
    log(f"dns {name} {QTYPES.get(qtype, qtype)}")
    question = packet[12:end]
    rd = flags & 0x0100
    if name not in answers:
        header = struct.pack("!HHHHHH", ident, 0x8080 | rd | 3, 1, 0, 0, 0)
        return header + question
    if qtype != 1:
        header = struct.pack("!HHHHHH", ident, 0x8080 | rd, 1, 0, 0, 0)
        return header + question
    header = struct.pack("!HHHHHH", ident, 0x8080 | rd, 1, 1, 0, 0)
    record = struct.pack("!HHHIH", 0xC00C, 1, 1, 5, 4) + socket.inet_aton(answers[name])
    return header + question + record


def serve_dns(sock, answers):
    while True:
        packet, peer = sock.recvfrom(512)
        try:
            sock.sendto(answer(packet, answers), peer)
        except (IndexError, struct.error, UnicodeError):
            log("dns malformed query ignored")


def serve_tcp(listener):
    while True:
        conn, _peer = listener.accept()
        log("tcp-connect")
        conn.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dns-addr", required=True, help="loopback address for the DNS server")
    parser.add_argument("--answer", action="append", default=[], metavar="NAME=IPV4")
    parser.add_argument("--lifetime", type=float, default=120.0)
    args = parser.parse_args()
    if not args.dns_addr.startswith("127."):
        parser.error("--dns-addr must be a loopback address")
    answers = {}
    for item in args.answer:
        name, _, ip = item.partition("=")
        answers[name.lower().rstrip(".")] = ip

    dns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    dns.bind((args.dns_addr, 53))
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    log(f"port {listener.getsockname()[1]}")

    threading.Thread(target=serve_dns, args=(dns, answers), daemon=True).start()
    threading.Thread(target=serve_tcp, args=(listener,), daemon=True).start()
    time.sleep(args.lifetime)


if __name__ == "__main__":
    main()
