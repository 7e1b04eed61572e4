"""Entries get a MAC under RECORD_KEY, a chain hash over (seq, kind, MAC, previous hash) and
the sealer's MAC over their place.

Existing entries are adopted: the old chain is verified first (a broken one stops the
upgrade, so an earlier tampering is not sealed over), then each entry gets a nonce and a
MAC and the chain is rebuilt in the new form. The adoption vouches only for what the old
chain held at upgrade time (docs/record.md).
"""

import hashlib
import json
import secrets

from django.db import migrations, models

GENESIS_HASH = "0" * 64


def _old_hash(entry, prev_hash):
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


def adopt(apps, schema_editor):
    from commonweal.record import keys

    Entry = apps.get_model("record", "Entry")
    ChainHead = apps.get_model("record", "ChainHead")
    prev, new_prev, seq = GENESIS_HASH, GENESIS_HASH, 0
    for entry in Entry.objects.order_by("seq").iterator(chunk_size=5000):
        if entry.seq is not None:
            seq += 1
            if entry.seq != seq or entry.prev_hash != prev or _old_hash(entry, prev) != entry.hash:
                raise RuntimeError(
                    f"The record is broken at entry {seq}: upgrade refused, restore a backup."
                )
            prev = entry.hash
        entry.nonce = secrets.token_hex(16)
        entry.mac = keys.entry_mac(
            nonce=entry.nonce,
            kind=entry.kind,
            subject=entry.subject,
            actor_id=entry.actor_id,
            rulebook_version=entry.rulebook_version,
            payload=json.loads(json.dumps(entry.payload)),
            created_at=entry.created_at,
        )
        if entry.seq is not None:
            entry.prev_hash = new_prev
            entry.hash = keys.link_hash(entry.seq, entry.kind, entry.mac, new_prev)
            entry.seal = keys.seal_mac(entry.seq, entry.hash)
            new_prev = entry.hash
        entry.save(update_fields=["nonce", "mac", "prev_hash", "hash", "seal"])
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.last_seq, head.last_hash) != (seq, prev):
        raise RuntimeError(f"The record ends at entry {seq} but was sealed up to {head.last_seq}.")
    if head is not None:
        head.last_hash = new_prev
        head.save(update_fields=["last_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("record", "0001_initial"),
        # The shipped rulebook's entry is written there without a MAC: adopt it too.
        ("rulebook", "0002_default_rulebook"),
    ]

    operations = [
        migrations.CreateModel(
            name="ChainCheck",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("scope", models.CharField(choices=[("recent", "entries since the last checkpoint"), ("whole", "the whole record")], max_length=8, unique=True)),
                ("ok", models.BooleanField(default=False)),
                ("through", models.BigIntegerField(default=0)),
                ("checked", models.BigIntegerField(default=0)),
                ("pending", models.BigIntegerField(default=0)),
                ("problem", models.TextField(blank=True)),
                ("finished_at", models.DateTimeField()),
            ],
        ),
        migrations.CreateModel(
            name="Checkpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("entries", models.BigIntegerField(verbose_name="entries")),
                ("head_hash", models.CharField(max_length=64, verbose_name="head hash")),
                ("made_at", models.DateTimeField(db_index=True, verbose_name="made at")),
                ("signature", models.CharField(max_length=128, verbose_name="signature")),
            ],
            options={"verbose_name": "checkpoint", "verbose_name_plural": "checkpoints"},
        ),
        migrations.AddField(
            model_name="entry",
            name="nonce",
            field=models.CharField(blank=True, default="", max_length=32),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="entry",
            name="mac",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="entry",
            name="seal",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(adopt, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="entry",
            name="mac",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
