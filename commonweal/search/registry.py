"""What each app tells the search about its texts: the sources it registers.

The search sits low in the layering, so it cannot read the apps' tables itself. Each app that
has something worth finding registers a `Source` from its `AppConfig.ready()`: how to read the
text of one of its items, every item (for a rebuild), and, above all, which items a member may
open, from the app's own selectors. The search never shows an entry its source does not vouch
for; without the app installed there is simply nothing of its kind to find.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class Document:
    """The copy of an item the index keeps: what is searched, and where the result points."""

    title: str
    text: str  # the stored, rendered HTML (or plain text): the index keeps its words
    url: str
    unit_id: int | None


@dataclass(frozen=True)
class Source:
    kind: str  # "policy.proposal": the index's kind, also the filter's value
    label: Any  # what the filter calls it ("Proposals"), translatable
    # The searchable copies of the items with these ids, in one query or a few; an id left
    # out is not (or no longer) indexed.
    documents: Callable[[list[int]], dict[int, Document]]
    # Every id the index should hold, for a rebuild (read in batches through `documents`).
    ids: Callable[[], Iterable[int]]
    # What a member in good standing may open: a queryset of the items (its pks are used),
    # or None when every member may open every item of the kind.
    visible: Callable[[Any], QuerySet | None]


_SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    _SOURCES[source.kind] = source


def sources() -> dict[str, Source]:
    return dict(_SOURCES)


def source(kind: str) -> Source | None:
    return _SOURCES.get(kind)
