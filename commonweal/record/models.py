"""The record: an append-only, hash-chained log of everything that matters.

Writers only INSERT an entry (no lock, so supports and votes never queue on the
chain), with a MAC under a key the database does not hold (keys.py). A sealer then
links pending entries whose MAC is right into the chain in batches under a short
lock on the single `ChainHead` row: it gives each its `seq`, the previous entry's
hash and its own hash. Sealing fills those three fields once; nothing else ever
updates or deletes an entry. The worker verifies the chain and publishes signed
`Checkpoint`s members can keep; `/record/` shows the stored `ChainCheck`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Entry(models.Model):
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    subject = models.CharField(_("subject"), max_length=120, db_index=True)
    actor_id = models.BigIntegerField(_("actor"), null=True, blank=True)
    rulebook_version = models.PositiveIntegerField(_("rulebook version"), null=True, blank=True)
    payload = models.JSONField(_("payload"), default=dict)
    created_at = models.DateTimeField(_("created at"))
    nonce = models.CharField(max_length=32, blank=True)
    mac = models.CharField(max_length=64, unique=True)
    seq = models.BigIntegerField(_("sequence"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)
    seal = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("record entry")
        verbose_name_plural = _("record entries")
        indexes = [
            models.Index(
                fields=["seq"], name="record_pending_idx", condition=models.Q(seq__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.seq or 'pending'} {self.kind} {self.subject}"


class ChainHead(models.Model):
    """The last sealed entry; the row sealers lock, and what catches a deleted tail."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head {self.last_seq}"


class Checkpoint(models.Model):
    """A signed statement of how long the chain was and how it ended, published on the website.

    A member who keeps one detects any later rewrite or truncation of those entries.
    """

    entries = models.BigIntegerField(_("entries"))
    head_hash = models.CharField(_("head hash"), max_length=64)
    made_at = models.DateTimeField(_("made at"), db_index=True)
    signature = models.CharField(_("signature"), max_length=128)

    class Meta:
        verbose_name = _("checkpoint")
        verbose_name_plural = _("checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.entries}"


class ChainCheck(models.Model):
    """The latest verification the worker stored, one row per scope; `/record/` serves it."""

    class Scope(models.TextChoices):
        RECENT = "recent", _("entries since the last checkpoint")
        WHOLE = "whole", _("the whole record")

    scope = models.CharField(max_length=8, choices=Scope.choices, unique=True)
    ok = models.BooleanField(default=False)
    through = models.BigIntegerField(default=0)
    checked = models.BigIntegerField(default=0)
    pending = models.BigIntegerField(default=0)
    problem = models.TextField(blank=True)
    finished_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.scope} check {'ok' if self.ok else 'broken'}"
