"""Reading and verifying the record."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

from django.db.models import Count, QuerySet

from . import keys
from .models import ChainCheck, ChainHead, Checkpoint, Entry
from .services import GENESIS_HASH, authentic, entry_hash, sealed_here

VERIFY_CHUNK = 10_000


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    pending: int
    broken_at: int | None = None
    problem: str = ""
    through: int = 0
    head_hash: str = GENESIS_HASH


class Broken(Exception):
    def __init__(self, at: int | None, problem: str):
        super().__init__(problem)
        self.at, self.problem = at, problem


def checkpoint_statement(checkpoint: Checkpoint) -> str:
    return keys.checkpoint_statement(checkpoint.entries, checkpoint.head_hash, checkpoint.made_at)


def checkpoint_genuine(checkpoint: Checkpoint) -> bool:
    return keys.signature_ok(checkpoint_statement(checkpoint), checkpoint.signature)


def latest_checkpoint() -> Checkpoint | None:
    """The newest checkpoint this platform's key signed: where the recent check starts."""
    for checkpoint in Checkpoint.objects.order_by("-entries", "-made_at")[:20]:
        if checkpoint_genuine(checkpoint):
            return checkpoint
    return None


def record_verify(*, start: Checkpoint | None = None) -> Verification:
    """Walk the chain from `start` (a checkpoint) or from the first entry; report the first fault.

    Reads only: every link, every entry's hash and MAC, every signed checkpoint at or after
    the start against the chain, the head, and the MAC of each entry waiting to be sealed.
    From the start it also looks for a MAC used twice (a copied entry).
    """
    seq, prev = (start.entries, start.head_hash) if start else (0, GENESIS_HASH)
    checked = 0
    try:
        # Checkpoints, then the head, then the entries up to it: each is read after what
        # bounds it, so a sealer or checker committing meanwhile raises no false alarm.
        vouched = _checkpoints_from(seq)
        head = ChainHead.objects.filter(pk=1).first()
        head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)
        if start and seq and not Entry.objects.filter(seq=seq, hash=prev).exists():
            raise Broken(seq, f"entry {seq} no longer matches the checkpoint of {start.made_at}")
        while True:
            chunk = list(
                Entry.objects.filter(seq__gt=seq, seq__lte=head_seq).order_by("seq")[:VERIFY_CHUNK]
            )
            if not chunk:
                break
            for entry in chunk:
                _check_entry(entry, seq + 1, prev)
                seq, prev = seq + 1, entry.hash
                checked += 1
                for checkpoint in vouched.get(seq, ()):
                    if checkpoint.head_hash != prev:
                        raise Broken(
                            seq,
                            f"entry {seq} differs from the checkpoint of {checkpoint.made_at}",
                        )
        _check_ending(seq, prev, head_seq, head_hash, vouched)
        if start is None:
            _check_no_copies()
        pending = _check_pending()
    except Broken as broken:
        return Verification(False, checked, 0, broken.at, broken.problem, seq, prev)
    return Verification(True, checked, pending, None, "", seq, prev)


def _checkpoints_from(seq: int) -> dict[int, list[Checkpoint]]:
    vouched: dict[int, list[Checkpoint]] = {}
    for checkpoint in Checkpoint.objects.filter(entries__gte=seq).order_by("entries"):
        if not checkpoint_genuine(checkpoint):
            raise Broken(
                checkpoint.entries,
                f"the checkpoint of {checkpoint.made_at} was not signed with the record's key",
            )
        vouched.setdefault(checkpoint.entries, []).append(checkpoint)
    return vouched


def _check_entry(entry: Entry, expected_seq: int, prev: str) -> None:
    if entry.seq != expected_seq:
        raise Broken(expected_seq, f"entry {expected_seq} is missing (next found: {entry.seq})")
    if entry.prev_hash != prev:
        raise Broken(entry.seq, f"entry {entry.seq} does not link to entry {entry.seq - 1}")
    if entry_hash(entry, prev) != entry.hash:
        raise Broken(entry.seq, f"entry {entry.seq} has been altered")
    if not authentic(entry):
        raise Broken(entry.seq, f"entry {entry.seq} has been altered or was not written here")
    if not sealed_here(entry):
        raise Broken(entry.seq, f"entry {entry.seq} was put in its place without the key")


def _check_ending(
    seq: int, prev: str, head_seq: int, head_hash: str, vouched: dict[int, list[Checkpoint]]
) -> None:
    if (seq, prev) != (head_seq, head_hash):
        raise Broken(seq + 1, f"the chain ends at entry {seq} but was sealed up to {head_seq}")
    beyond = [checkpoint for at, found in vouched.items() if at > seq for checkpoint in found]
    if beyond:
        last = max(beyond, key=lambda checkpoint: checkpoint.entries)
        raise Broken(
            seq + 1,
            f"the chain ends at entry {seq} but the checkpoint of {last.made_at} "
            f"vouched for {last.entries} entries",
        )


def _check_no_copies() -> None:
    copied = (
        Entry.objects.values("mac").annotate(n=Count("id")).filter(n__gt=1).order_by("mac").first()
    )
    if copied:
        first = Entry.objects.filter(mac=copied["mac"]).order_by("id").first()
        if first is None:  # the copies were deleted meanwhile
            return
        raise Broken(first.seq, f"entry {first.seq or first.pk} appears {copied['n']} times")


def _check_pending() -> int:
    pending = 0
    for entry in Entry.objects.filter(seq__isnull=True).order_by("id").iterator(VERIFY_CHUNK):
        if not authentic(entry):
            raise Broken(
                None, f"a row waiting to be sealed (id {entry.pk}) was not written by the platform"
            )
        pending += 1
    return pending


def chain_checks() -> dict[str, ChainCheck]:
    return {check.scope: check for check in ChainCheck.objects.all()}


def checkpoints() -> QuerySet[Checkpoint]:
    return Checkpoint.objects.order_by("-made_at", "-id")


def entries_download(after: int = 0) -> Iterator[str]:
    """The chain as members download it: seq, kind, MAC and hash, one line each; no content.

    Enough to recompute every link and compare it with kept checkpoints
    (scripts/verify_record.py), nothing about who did what.
    """
    yield f"# Commonweal record entries after {after}: seq kind mac hash\n"
    while True:
        rows = list(
            Entry.objects.filter(seq__gt=after)
            .order_by("seq")
            .values_list("seq", "kind", "mac", "hash")[:VERIFY_CHUNK]
        )
        if not rows:
            return
        yield "".join(f"{seq} {kind} {mac} {hash_}\n" for seq, kind, mac, hash_ in rows)
        # seq__gt leaves out the entries waiting to be sealed, the only ones without a seq.
        after = cast(int, rows[-1][0])


def entries_for(subject: str) -> QuerySet[Entry]:
    return Entry.objects.filter(subject=subject).order_by("created_at", "id")


def recent_entries() -> QuerySet[Entry]:
    return Entry.objects.exclude(seq__isnull=True).order_by("-seq")
