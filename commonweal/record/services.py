"""Appending to, sealing and checking the record, and making its checkpoints."""

import json
import logging
import secrets
from datetime import timedelta
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from commonweal.core import clock

from . import keys
from .models import ChainCheck, ChainHead, Checkpoint, Entry
from .payload import check_payload, check_subject

logger = logging.getLogger(__name__)

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
    payload.py): names and texts can be erased, the record cannot. The entry carries a
    MAC over its content and a random nonce, so the sealer takes only entries the
    platform wrote, and a copied row collides on `mac`.
    """
    payload = payload or {}
    check_payload(payload, kind)
    subject = subject_of(subject)
    check_subject(subject)
    created_at = clock.now()
    if timezone.is_naive(created_at):
        # As saving it would read it (a naive COMMONWEAL_NOW), so its MAC checks out later.
        created_at = timezone.make_aware(created_at)
    entry = Entry(
        kind=kind,
        subject=subject,
        actor_id=getattr(actor, "pk", actor),
        rulebook_version=rulebook_version,
        # As the database will give it back, so the MAC checks out after the round trip.
        payload=json.loads(json.dumps(payload)),
        created_at=created_at,
        nonce=secrets.token_hex(16),
    )
    entry.mac = mac_of(entry)
    entry.save(force_insert=True)
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


def mac_of(entry: Entry) -> str:
    return keys.entry_mac(
        nonce=entry.nonce,
        kind=entry.kind,
        subject=entry.subject,
        actor_id=entry.actor_id,
        rulebook_version=entry.rulebook_version,
        payload=entry.payload,
        created_at=entry.created_at,
    )


def authentic(entry: Entry) -> bool:
    return secrets.compare_digest(mac_of(entry), entry.mac)


def _place(entry: Entry) -> int:
    """An entry's seq: one waiting to be sealed has no place in the chain to hash or seal."""
    if entry.seq is None:
        raise ValueError(f"entry {entry.pk} has no place in the chain yet")
    return entry.seq


def sealed_here(entry: Entry) -> bool:
    return secrets.compare_digest(keys.seal_mac(_place(entry), entry.hash), entry.seal)


def entry_hash(entry: Entry, prev_hash: str) -> str:
    return keys.link_hash(_place(entry), entry.kind, entry.mac, prev_hash)


def _write_seals(entries: list[Entry]) -> None:
    """One prepared UPDATE per entry, sent as a batch.

    bulk_update builds a CASE over the whole batch, which PostgreSQL plans and runs in
    time that grows with the batch; a batched prepared statement stays linear.
    """
    table = connection.ops.quote_name(Entry._meta.db_table)
    sql = f"UPDATE {table} SET seq = %s, prev_hash = %s, hash = %s, seal = %s WHERE id = %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(e.seq, e.prev_hash, e.hash, e.seal, e.pk) for e in entries])


def record_seal(*, batch: int = SEAL_BATCH) -> int:
    """Link pending entries into the chain; returns how many were sealed.

    Entries are sealed in the order sealers find them committed (by id among the
    pending), so an entry whose transaction committed late simply gets a later seq.
    An entry whose MAC is wrong was not written by the platform: it is left pending,
    never sealed, and verification reports it.
    """
    sealed, after = 0, 0
    while True:
        with transaction.atomic():
            head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
            pending = list(
                Entry.objects.filter(seq__isnull=True, id__gt=after).order_by("id")[:batch]
            )
            if not pending:
                return sealed
            after = pending[-1].pk
            seq, prev = head.last_seq, head.last_hash
            genuine = [entry for entry in pending if authentic(entry)]
            for entry in genuine:
                seq += 1
                entry.seq = seq
                entry.prev_hash = prev
                entry.hash = entry_hash(entry, prev)
                entry.seal = keys.seal_mac(seq, entry.hash)
                prev = entry.hash
            _write_seals(genuine)
            head.last_seq, head.last_hash = seq, prev
            head.save(update_fields=["last_seq", "last_hash"])
            sealed += len(genuine)


CHECKPOINT_AT_LEAST_EVERY = timedelta(days=1)


def record_check(*, whole: bool = False) -> ChainCheck:
    """Verify the record, store the result for `/record/`, and checkpoint a sound head.

    The recent check walks only the entries after the last checkpoint (cheap, every few
    minutes); the whole check walks from the first entry and compares every checkpoint
    (daily, on the worker, however long the record). Nothing here seals or changes an
    entry. A checkpoint is signed only while both the recent and the last whole check
    found the record sound, and when the head moved or the last one is a day old.
    """
    from .selectors import latest_checkpoint, record_verify

    scope = ChainCheck.Scope.WHOLE if whole else ChainCheck.Scope.RECENT
    result = record_verify(start=None if whole else latest_checkpoint())
    if not result.ok:
        # For the operators' log watch too: the page alone waits for someone to look.
        logger.error("The record is broken (%s check): %s", scope, result.problem)
    now = clock.now()
    with transaction.atomic():
        check, _ = ChainCheck.objects.update_or_create(
            scope=scope,
            defaults={
                "ok": result.ok,
                "through": result.through,
                "checked": result.checked,
                "pending": result.pending,
                "problem": result.problem,
                "finished_at": now,
            },
        )
        whole_broken = ChainCheck.objects.filter(scope=ChainCheck.Scope.WHOLE, ok=False).exists()
        last = Checkpoint.objects.order_by("-made_at", "-id").first()
        due = (
            last is None
            or last.entries != result.through
            or now - last.made_at >= CHECKPOINT_AT_LEAST_EVERY
        )
        if result.ok and not whole_broken and due:
            made_at = now.replace(microsecond=0)
            statement = keys.checkpoint_statement(result.through, result.head_hash, made_at)
            Checkpoint.objects.create(
                entries=result.through,
                head_hash=result.head_hash,
                made_at=made_at,
                signature=keys.sign(statement),
            )
    return check
