"""The record: an append-only, hash-chained log of everything that matters.

Writers only INSERT an entry (no lock, so supports and votes never queue on the
chain). A sealer then links pending entries into the chain in batches under a
short lock on the single `ChainHead` row: it gives each its `seq`, the previous
entry's hash and its own hash. Sealing fills those three fields once; nothing
else ever updates or deletes an entry.
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
    seq = models.BigIntegerField(_("sequence"), null=True, blank=True, unique=True)
    prev_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, blank=True)

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
