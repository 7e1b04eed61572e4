"""The index: one copy of each findable item's title and text, with its unit and address.

On PostgreSQL a generated `document` tsvector column (title weighted above text) with a GIN
index is added by migration 0002; on SQLite an FTS5 table kept in step by triggers, where
this Python's sqlite3 has FTS5. Neither is a model field: the database keeps them itself.
"""

from django.db import models


class Entry(models.Model):
    kind = models.CharField(max_length=40)
    object_id = models.BigIntegerField()
    unit = models.ForeignKey(
        "organisation.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    indexed_at = models.DateTimeField()

    class Meta:
        verbose_name = "search index entry"
        verbose_name_plural = "search index entries"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="one_entry_per_item")
        ]
        indexes = [models.Index(fields=["unit", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"
