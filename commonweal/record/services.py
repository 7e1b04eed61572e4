"""Appending to and sealing the record."""

import hashlib
import json
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from commonweal.core import clock

from .models import ChainHead, Entry
from .payload import check_payload, check_subject

GENESIS_HASH = "0" * 64
SEAL_BATCH = 5000


def subject_of(obj: Model | str) -> str:
    if isinstance(obj, str):
        return obj
    return f"{obj._meta.label_lower}:{obj.pk}"


def record_append(
    *,
    kind: str,
    subject: Model | str,
    actor: Any = None,
    payload: dict[str, Any] | None = None,
    rulebook_version: int | None = None,
) -> Entry:
    """Append an entry inside the caller's transaction; sealing follows its commit.

    The payload holds ids, hashes, codes, numbers, dates and booleans only (see
    payload.py): names and texts can be erased, the record cannot.
    """
    payload = payload or {}
    check_payload(payload, kind)
    subject = subject_of(subject)
    check_subject(subject)
    entry = Entry.objects.create(
        kind=kind,
        subject=subject,
        actor_id=getattr(actor, "pk", actor),
        rulebook_version=rulebook_version,
        payload=payload,
        created_at=clock.now(),
    )
    transaction.on_commit(_seal_soon)
    return entry


SEAL_DELAY = timedelta(seconds=1)


def _seal_soon() -> None:
    """Enqueue one deferred seal per second per process, not one per entry.

    The seal runs no earlier than the flag expires, so every entry committed
    while the flag was up is already visible to it.
    """
    from .tasks import seal_record

    if not cache.add("record:seal-queued", 1, timeout=SEAL_DELAY.total_seconds()):
        return
    if seal_record.get_backend().supports_defer:
        seal_record.using(run_after=timezone.now() + SEAL_DELAY).enqueue()
    else:
        seal_record.enqueue()


def entry_hash(entry: Entry, prev_hash: str) -> str:
    canonical = json.dumps(
        [
            entry.seq,
            entry.kind,
            entry.subject,
            entry.actor_id,
            entry.rulebook_version,
            entry.payload,
            entry.created_at.isoformat(),
            prev_hash,
        ],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _write_seals(entries: list[Entry]) -> None:
    """One prepared UPDATE per entry, sent as a batch.

    bulk_update builds a CASE over the whole batch, which PostgreSQL plans and runs in
    time that grows with the batch; a batched prepared statement stays linear.
    """
    table = connection.ops.quote_name(Entry._meta.db_table)
    sql = f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(e.seq, e.prev_hash, e.hash, e.pk) for e in entries])


def record_seal(*, batch: int = SEAL_BATCH) -> int:
    """Link pending entries into the chain; returns how many were sealed.

    Entries are sealed in the order sealers find them committed (by id among the
    pending), so an entry whose transaction committed late simply gets a later seq.
    """
    sealed = 0
    while True:
        with transaction.atomic():
            head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
            pending = list(Entry.objects.filter(seq__isnull=True).order_by("id")[:batch])
            if not pending:
                return sealed
            seq, prev = head.last_seq, head.last_hash
            for entry in pending:
                seq += 1
                entry.seq = seq
                entry.prev_hash = prev
                entry.hash = entry_hash(entry, prev)
                prev = entry.hash
            _write_seals(pending)
            head.last_seq, head.last_hash = seq, prev
            head.save(update_fields=["last_seq", "last_hash"])
            sealed += len(pending)
