"""Reading and verifying the record."""

from dataclasses import dataclass

from django.db.models import QuerySet

from .models import ChainHead, Entry
from .services import GENESIS_HASH, entry_hash

VERIFY_CHUNK = 10_000


@dataclass(frozen=True)
class Verification:
    ok: bool
    checked: int
    pending: int
    broken_at: int | None = None
    problem: str = ""


def record_verify() -> Verification:
    """Walk the chain from the start; report the first broken link, if any."""
    head = ChainHead.objects.filter(pk=1).first()
    expected_seq, prev = 0, GENESIS_HASH
    checked = 0
    last_seq = 0
    while True:
        chunk = list(Entry.objects.filter(seq__gt=last_seq).order_by("seq")[:VERIFY_CHUNK])
        if not chunk:
            break
        for entry in chunk:
            expected_seq += 1
            if entry.seq != expected_seq:
                return Verification(
                    False,
                    checked,
                    0,
                    expected_seq,
                    f"entry {expected_seq} is missing (next found: {entry.seq})",
                )
            if entry.prev_hash != prev:
                return Verification(
                    False,
                    checked,
                    0,
                    entry.seq,
                    f"entry {entry.seq} does not link to entry {entry.seq - 1}",
                )
            if entry_hash(entry, prev) != entry.hash:
                return Verification(
                    False, checked, 0, entry.seq, f"entry {entry.seq} has been altered"
                )
            prev = entry.hash
            checked += 1
        last_seq = chunk[-1].seq or last_seq
    head_seq = head.last_seq if head else 0
    head_hash = head.last_hash if head else GENESIS_HASH
    if head_seq != checked or head_hash != prev:
        return Verification(
            False,
            checked,
            0,
            checked + 1,
            f"the chain ends at entry {checked} but was sealed up to {head_seq}",
        )
    pending = Entry.objects.filter(seq__isnull=True).count()
    return Verification(True, checked, pending)


def entries_for(subject: str) -> QuerySet[Entry]:
    return Entry.objects.filter(subject=subject).order_by("created_at", "id")


def recent_entries() -> QuerySet[Entry]:
    return Entry.objects.exclude(seq__isnull=True).order_by("-seq")
