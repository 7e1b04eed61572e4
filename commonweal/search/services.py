"""Keeping the index in step: the owning apps' services call `index` when they write.

An explicit call from the service that changes a text (inside its transaction), rather than a
model signal: the write and its index entry commit or roll back together, and whoever reads a
service sees that it is indexed. `index_rebuild` (manage.py search_rebuild) makes the index
again from the sources, for a new kind or after a restore.
"""

from itertools import islice

from django.db import transaction

from commonweal.core import clock
from commonweal.core.markdown import clean_plain

from .models import Entry
from .registry import Document, source, sources

TITLE_MAX = 300
# What one item may put in the index: a search finds words, not whole books, and the
# tsvector of a text has a hard limit (1 MB) PostgreSQL refuses past.
TEXT_MAX = 100_000
BATCH = 500


def plain(html: str) -> str:
    """The words of a stored, rendered text, with a space where each tag was."""
    return " ".join(clean_plain((html or "").replace("<", " <")).split())


def _values(document: Document) -> dict:
    return {
        "title": clean_plain(document.title)[:TITLE_MAX],
        "text": plain(document.text)[:TEXT_MAX],
        "url": document.url[:300],
        "unit_id": document.unit_id,
        "indexed_at": clock.now(),
    }


def index(kind: str, object_id: int) -> None:
    """Copy one item's current text into the index, or drop it if its source no longer has it."""
    src = source(kind)
    if src is None:
        return
    document = src.documents([object_id]).get(object_id)
    if document is None:
        Entry.objects.filter(kind=kind, object_id=object_id).delete()
        return
    Entry.objects.update_or_create(kind=kind, object_id=object_id, defaults=_values(document))


def _batched(ids, size: int):
    it = iter(ids)
    while chunk := list(islice(it, size)):
        yield chunk


def index_rebuild(kinds: list[str] | None = None) -> dict[str, int]:
    """Make the index again from the sources: each kind in its own transaction."""
    counts = {}
    for kind, src in sorted(sources().items()):
        if kinds and kind not in kinds:
            continue
        with transaction.atomic():
            Entry.objects.filter(kind=kind).delete()
            n = 0
            for chunk in _batched(src.ids(), BATCH):
                rows = [
                    Entry(kind=kind, object_id=object_id, **_values(document))
                    for object_id, document in src.documents(chunk).items()
                ]
                Entry.objects.bulk_create(rows)
                n += len(rows)
        counts[kind] = n
    Entry.objects.exclude(kind__in=list(sources())).delete()
    return counts
