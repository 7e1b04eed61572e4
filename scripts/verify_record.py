#!/usr/bin/env python3
"""Check a Commonweal record download against checkpoints you kept, trusting nothing on the server.

Usage:
    python3 verify_record.py --public-key HEX --entries record-entries.txt CHECKPOINTS...

CHECKPOINTS are files holding checkpoints as published on the website's checkpoint page or
its Atom feed (a saved page, a saved feed, or the text blocks pasted into a file). The
script needs Python 3.11 and its standard library only; it is meant to be read. It checks:

1. every checkpoint's Ed25519 signature under the public key you pinned (RFC 8032,
   implemented below);
2. that the entries follow on from each other: numbers without gaps, each link hash
   recomputed as sha256("number:kind:MAC:previous hash"), no MAC used twice;
3. that the chain passes through every checkpoint's head hash at its entry count, and is
   not shorter than any of them (a cut tail).

A download made with `?after=N` starts from your checkpoint at N. Exit status 0 if all holds.
See docs/record.md for what this proves and what it cannot.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

GENESIS_HASH = "0" * 64
TITLE = "Commonweal record checkpoint"

# --- Ed25519 signature verification (RFC 8032, section 5.1) ---------------------------------

P = 2**255 - 19  # the field prime
L = 2**252 + 27742317777372353535851937790883648493  # the order of the base point
D = -121665 * pow(121666, P - 2, P) % P  # the curve constant d
SQRT_M1 = pow(2, (P - 1) // 4, P)  # a square root of -1


def _add(a, b):
    """Point addition in extended coordinates (X, Y, Z, T), RFC 8032 section 5.1.4."""
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    p_ = (y1 - x1) * (y2 - x2) % P
    q_ = (y1 + x1) * (y2 + x2) % P
    r_ = t1 * 2 * D * t2 % P
    s_ = z1 * 2 * z2 % P
    e, f, g, h = q_ - p_, s_ - r_, s_ + r_, q_ + p_
    return (e * f % P, g * h % P, f * g % P, e * h % P)


def _multiply(scalar: int, point):
    result = (0, 1, 1, 0)  # the neutral element
    while scalar:
        if scalar & 1:
            result = _add(result, point)
        point = _add(point, point)
        scalar >>= 1
    return result


def _same(a, b) -> bool:
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _decode_point(data: bytes):
    """Decompress a 32-byte point (RFC 8032 section 5.1.3); None if it is not on the curve."""
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    if y >= P:
        return None
    u, v = (y * y - 1) % P, (D * y * y + 1) % P
    x = u * pow(v, 3, P) * pow(u * pow(v, 7, P), (P - 5) // 8, P) % P
    if (v * x * x - u) % P != 0:
        x = x * SQRT_M1 % P
        if (v * x * x - u) % P != 0:
            return None
    if x == 0 and sign:
        return None
    if x & 1 != sign:
        x = P - x
    return (x, y, 1, x * y % P)


_BASE_Y = 4 * pow(5, P - 2, P) % P
BASE = _decode_point(_BASE_Y.to_bytes(32, "little"))


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    """True when `signature` is `public_key`'s signature of `message` ([S]B = R + [k]A)."""
    if len(signature) != 64:
        return False
    a_point = _decode_point(public_key)
    r_point = _decode_point(signature[:32])
    s = int.from_bytes(signature[32:], "little")
    if a_point is None or r_point is None or s >= L:
        return False
    digest = hashlib.sha512(signature[:32] + public_key + message).digest()
    k = int.from_bytes(digest, "little") % L
    return _same(_multiply(s, BASE), _add(r_point, _multiply(k, a_point)))


# --- Checkpoints and entries ------------------------------------------------------------------

CHECKPOINT = re.compile(
    re.escape(TITLE) + r"\s*\n\s*entries: (\d+)\s*\n\s*head: ([0-9a-f]{64})\s*\n"
    r"\s*time: (\S+)\s*\n\s*signature: ([0-9a-f]{128})"
)


@dataclass(frozen=True)
class Checkpoint:
    entries: int
    head: str
    time: str
    signature: str

    def statement(self) -> bytes:
        return f"{TITLE}\nentries: {self.entries}\nhead: {self.head}\ntime: {self.time}\n".encode()


class Broken(Exception):
    pass


def read_checkpoints(text: str) -> list[Checkpoint]:
    """Every checkpoint in a saved page, feed or text file (HTML escapes undone twice: feeds)."""
    text = html.unescape(html.unescape(text))
    found = {Checkpoint(int(n), head, time, sig) for n, head, time, sig in CHECKPOINT.findall(text)}
    return sorted(found, key=lambda c: (c.entries, c.time))


def check_signatures(checkpoints: list[Checkpoint], public_key: bytes) -> None:
    for checkpoint in checkpoints:
        if not ed25519_verify(
            public_key, checkpoint.statement(), bytes.fromhex(checkpoint.signature)
        ):
            raise Broken(f"the checkpoint of {checkpoint.time} is not signed by that public key")


def link_hash(seq: int, kind: str, mac: str, prev: str) -> str:
    return hashlib.sha256(f"{seq}:{kind}:{mac}:{prev}".encode()).hexdigest()


def verify(lines: list[str], checkpoints: list[Checkpoint]) -> tuple[int, str]:
    """Walk the downloaded chain; returns (last entry, its hash) or raises Broken."""
    header = re.match(r"# Commonweal record entries after (\d+)", lines[0] if lines else "")
    if not header:
        raise Broken("the entries file does not start with its '# Commonweal record' line")
    seq = int(header.group(1))
    at: dict[int, set[str]] = {}
    for checkpoint in checkpoints:
        at.setdefault(checkpoint.entries, set()).add(checkpoint.head)
    if any(len(heads) > 1 for heads in at.values()):
        raise Broken("two signed checkpoints disagree on the same entry: the record was rewritten")
    if seq == 0:
        prev = GENESIS_HASH
    elif seq in at:
        prev = next(iter(at[seq]))
    else:
        raise Broken(
            f"the download starts after entry {seq}, but no checkpoint you gave ends there"
        )
    macs: set[str] = set()
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        try:
            first, rest = line.split(" ", 1)
            kind, mac, recorded = rest.rsplit(" ", 2)
            found = int(first)
        except ValueError:
            raise Broken(f"line {number} of the entries file is not 'seq kind mac hash'") from None
        if found != seq + 1:
            raise Broken(f"entry {seq + 1} is missing (next found: {found})")
        seq = found
        if mac in macs:
            raise Broken(f"entry {seq} repeats an earlier entry's MAC: a copied entry")
        macs.add(mac)
        prev = link_hash(seq, kind, mac, prev)
        if prev != recorded.strip():
            raise Broken(f"entry {seq} does not hash to what the server says")
        if seq in at and prev not in at[seq]:
            raise Broken(f"entry {seq} differs from your checkpoint: the record was rewritten")
    longest = max(at, default=0)
    if longest > seq:
        raise Broken(f"the record ends at entry {seq}, but a checkpoint vouched for {longest}")
    return seq, prev


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public-key", required=True, help="the Ed25519 key, 64 hex digits")
    parser.add_argument("--entries", required=True, type=Path, help="the downloaded entries")
    parser.add_argument("checkpoints", nargs="+", type=Path, help="files holding checkpoints")
    args = parser.parse_args(argv)
    try:
        public_key = bytes.fromhex(args.public_key.strip())
        checkpoints = []
        for path in args.checkpoints:
            checkpoints += read_checkpoints(path.read_text(encoding="utf-8"))
        if not checkpoints:
            raise Broken("no checkpoint found in the files given")
        check_signatures(checkpoints, public_key)
        lines = args.entries.read_text(encoding="utf-8").splitlines()
        seq, head = verify(lines, checkpoints)
    except (Broken, ValueError, OSError) as problem:
        print(f"NOT VERIFIED: {problem}", file=sys.stderr)
        return 1
    latest = max(checkpoints, key=lambda c: (c.entries, datetime.fromisoformat(c.time)))
    print(
        f"Verified: {seq} entries, ending in {head}; consistent with {len(checkpoints)} "
        f"signed checkpoint(s), the latest {latest.time} ({latest.entries} entries)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
