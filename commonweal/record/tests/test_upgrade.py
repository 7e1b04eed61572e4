"""Upgrading a record written before entries had MACs (migration 0002)."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from commonweal.record.selectors import record_verify

UPGRADE = importlib.import_module(
    "commonweal.record.migrations.0002_authenticated_entries_and_checkpoints"
)
BEFORE = [("record", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


def write_old_chain(apps, n):
    """Entries as the old sealer left them: unkeyed hashes over the content."""
    Entry, ChainHead = apps.get_model("record", "Entry"), apps.get_model("record", "ChainHead")
    Entry.objects.all().delete()
    prev = UPGRADE.GENESIS_HASH
    for seq in range(1, n + 1):
        entry = Entry(
            kind="test.step",
            subject=f"test:{seq}",
            payload={"i": seq},
            created_at=timezone.now(),
            seq=seq,
            prev_hash=prev,
        )
        entry.hash = UPGRADE._old_hash(entry, prev)
        prev = entry.hash
        entry.save()
    Entry.objects.create(kind="test.waiting", subject="test:w", created_at=timezone.now())
    ChainHead.objects.update_or_create(pk=1, defaults={"last_seq": n, "last_hash": prev})
    return Entry


@pytest.mark.django_db(transaction=True)
def test_an_intact_old_record_is_adopted_and_a_broken_one_stops_the_upgrade():
    Entry = write_old_chain(migrate(BEFORE), 4)
    Entry.objects.filter(seq=2).update(payload={"i": "altered"})
    with pytest.raises(RuntimeError, match="broken at entry 2"):
        migrate(None)
    Entry = write_old_chain(migrate(BEFORE), 4)
    migrate(None)
    result = record_verify()
    assert result.ok, result.problem
    assert (result.checked, result.pending) == (4, 1)
