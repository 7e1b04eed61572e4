"""Whose entries a reader sees in full on /record/.

Most subjects (a vote, a decision, a proposal) are every member's business. Some name a
member: a suspension, a reinstatement, a departure, an erasure, an application. The app
that owns such a subject registers who may see it (record imports no app above it);
everyone else still sees the entry, its kind, time and hash, so the chain stays
checkable, but not the member it concerns.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from .models import Entry

# (reader, ids named by entries on the page) -> the ids among them the reader may see.
Visible = Callable[[Any, set[int]], set[int]]

_WITHHELD: dict[str, Visible] = {}


def withhold_subjects(label: str, visible: Visible) -> None:
    """Subjects `label:<id>` are shown only to readers `visible` lets see that id."""
    _WITHHELD[label] = visible


def _split(subject: str) -> tuple[str, int | None]:
    label, _sep, pk = subject.partition(":")
    return label, int(pk) if pk.isascii() and pk.isdigit() else None


def as_seen_by(reader: Any, entries: Iterable[Entry]) -> list[Entry]:
    """The entries with `withheld` set, and the subject blanked, where the reader may not
    see whom it concerns; one query per kind of withheld subject on the page."""
    entries = list(entries)
    named: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        label, pk = _split(entry.subject)
        if label in _WITHHELD and pk is not None:
            named[label].add(pk)
    seen = {label: _WITHHELD[label](reader, pks) for label, pks in named.items()}
    for entry in entries:
        label, pk = _split(entry.subject)
        entry.withheld = label in _WITHHELD and pk not in seen.get(label, set())
        if entry.withheld:
            entry.subject = ""
    return entries
