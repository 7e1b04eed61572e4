"""The record's two keys, both derived from the RECORD_KEY setting, never stored in the database.

- The entry key MACs each entry as it is written (HMAC-SHA256), so a row put into the
  table by anyone without the key (a database copy, an injected INSERT) is refused by the
  sealer and reported by verification; and the sealer MACs each entry's place in the chain,
  so links rebuilt without the key (an entry dropped or moved) show too.
- The checkpoint key (Ed25519) signs the published checkpoints; its public half is on the
  website, so a member checks a checkpoint without trusting the server
  (scripts/verify_record.py).

One secret rather than two: the same people (whoever runs the server) hold both, and a lost
or changed key must be noticed in one place. What each protects against is in docs/record.md.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings

CHECKPOINT_TITLE = "Commonweal record checkpoint"


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def instant(moment: datetime) -> str:
    """The one spelling of a time the MAC and checkpoints use, whatever the database returns."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


@functools.lru_cache(maxsize=4)
def _derived(secret: str, purpose: bytes) -> bytes:
    return hmac.new(secret.encode(), purpose, hashlib.sha256).digest()


def _entry_key() -> bytes:
    return _derived(settings.RECORD_KEY, b"commonweal record entry mac")


@functools.lru_cache(maxsize=4)
def _signing_key(secret: str) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(
        _derived(secret, b"commonweal record checkpoint signing")
    )


def entry_mac(
    *,
    nonce: str,
    kind: str,
    subject: str,
    actor_id: int | None,
    rulebook_version: int | None,
    payload: Any,
    created_at: datetime,
) -> str:
    content = [nonce, kind, subject, actor_id, rulebook_version, payload, instant(created_at)]
    return hmac.digest(_entry_key(), _canonical(content), "sha256").hex()


def seal_mac(seq: int, link: str) -> str:
    """The sealer's MAC over an entry's place, so links rebuilt without the key show."""
    return hmac.digest(_entry_key(), f"{seq}:{link}".encode(), "sha256").hex()


def link_hash(seq: int, kind: str, mac: str, prev_hash: str) -> str:
    """An entry's place in the chain: members recompute it from the download, without content.

    `seq:kind:mac:prev` is unambiguous: the number ends at the first colon, the MAC and the
    previous hash are 64 hex digits each, the kind is what lies between.
    """
    return hashlib.sha256(f"{seq}:{kind}:{mac}:{prev_hash}".encode()).hexdigest()


def checkpoint_statement(entries: int, head_hash: str, made_at: datetime) -> str:
    """The exact text signed; scripts/verify_record.py rebuilds it from a published checkpoint."""
    made = made_at.astimezone(UTC).isoformat(timespec="seconds")
    return f"{CHECKPOINT_TITLE}\nentries: {entries}\nhead: {head_hash}\ntime: {made}\n"


def sign(statement: str) -> str:
    return _signing_key(settings.RECORD_KEY).sign(statement.encode()).hex()


def public_key() -> str:
    return _signing_key(settings.RECORD_KEY).public_key().public_bytes_raw().hex()


def signature_ok(statement: str, signature: str) -> bool:
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key()))
        key.verify(bytes.fromhex(signature), statement.encode())
    except (InvalidSignature, ValueError):
        return False
    return True
