"""Searching the index: the member's words, ranked, in what the member may open.

One query finds, ranks and filters a page: the match (PostgreSQL's tsvector, SQLite's FTS5,
or LIKE where neither is there), the kind and unit filters, and what the viewer may open,
which each kind's source answers from its own app's selectors as a subquery. Snippets are
made in Python from the page's few entries, escaped, with the words marked.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Case, F, FloatField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from commonweal.core.errors import Refused
from commonweal.organisation.models import Unit

from .models import Entry
from .registry import sources

QUERY_MAX = 200
TERMS_MAX = 12
PAGE_SIZE = 20
OFFSET_MAX = 1_000
SNIPPET = 240
_WORDS = re.compile(r"\w+", re.UNICODE)


@dataclass
class Hit:
    kind: str
    label: str
    object_id: int
    url: str
    title: str
    title_html: SafeString
    snippet: SafeString
    unit_id: int | None
    unit_name: str


@dataclass
class Results:
    query: str
    kind: str
    unit: Unit | None
    offset: int
    hits: list[Hit] = field(default_factory=list)
    has_next: bool = False

    @property
    def next_offset(self) -> int | None:
        return self.offset + PAGE_SIZE if self.has_next else None

    @property
    def previous_offset(self) -> int | None:
        return max(0, self.offset - PAGE_SIZE) if self.offset else None


def kinds() -> list[tuple[str, str]]:
    """The kinds a member may filter by: (value, label), in the registry's order of labels."""
    return sorted(((k, str(s.label)) for k, s in sources().items()), key=lambda kv: kv[1])


def terms_of(query: str) -> list[str]:
    """The words searched for, or a refusal that says what to type."""
    query = (query or "").strip()
    if not query:
        raise Refused(_("Type a word or two to search for."), field="q")
    if len(query) > QUERY_MAX:
        raise Refused(
            _("A search is at most %(n)d characters: try its key words.") % {"n": QUERY_MAX},
            field="q",
        )
    terms = [word.lower() for word in _WORDS.findall(query)][:TERMS_MAX]
    if not terms:
        raise Refused(_("Search for words: letters or numbers."), field="q")
    return terms


def engine() -> str:
    """ "postgres", "fts5" (SQLite with the migration's FTS5 table) or "like" (neither)."""
    if connection.vendor == "postgresql":
        return "postgres"
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'search_entry_fts'")
        return "fts5" if cursor.fetchone() else "like"


def _visible(user: Any, kind_filter: str) -> Q | None:
    """What the viewer may open, kind by kind; None for everything (an administrator)."""
    if getattr(user, "is_superuser", False):
        return None
    allowed = Q(pk__in=[])
    for kind, src in sources().items():
        if kind_filter and kind != kind_filter:
            continue
        items = src.visible(user)
        if items is None:
            allowed |= Q(kind=kind)
        else:
            allowed |= Q(kind=kind, object_id__in=items.values("pk"))
    return allowed


def _matching(entries: QuerySet[Entry], terms: list[str], how: str) -> QuerySet[Entry]:
    """Entries holding every term, with `rank` (higher is better). PostgreSQL's text search
    configuration is English, as the generated column's (migration 0002)."""
    words = " ".join(terms)
    if how == "postgres":
        return entries.filter(
            RawSQL(
                "search_entry.document @@ plainto_tsquery('english', %s)",
                [words],
                output_field=BooleanField(),
            )
        ).annotate(
            rank=RawSQL(
                "ts_rank(search_entry.document, plainto_tsquery('english', %s))",
                [words],
                FloatField(),
            )
        )
    if how == "fts5":
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        return entries.filter(
            RawSQL(
                "search_entry.id IN (SELECT rowid FROM search_entry_fts "
                "WHERE search_entry_fts MATCH %s)",
                [match],
                output_field=BooleanField(),
            )
        ).annotate(
            # bm25 is lower for a better match; a title counts four times its text.
            rank=RawSQL(
                "(SELECT -bm25(search_entry_fts, 4.0, 1.0) FROM search_entry_fts "
                "WHERE search_entry_fts MATCH %s AND rowid = search_entry.id)",
                [match],
                FloatField(),
            )
        )
    for term in terms:
        entries = entries.filter(Q(title__icontains=term) | Q(text__icontains=term))
    score: Any = Value(0.0)
    for term in terms:
        score = (
            score
            + Case(When(title__icontains=term, then=Value(4.0)), default=Value(0.0))
            + Case(When(text__icontains=term, then=Value(1.0)), default=Value(0.0))
        )
    return entries.annotate(rank=score)


def _marker(terms: list[str]) -> re.Pattern:
    """Words starting as a term does (its stem, roughly: "fares" marks "fare" and "fared")."""
    stems = sorted({t[: max(4, len(t) - 2)] for t in terms}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(s) for s in stems) + r")\w*", re.IGNORECASE)


def _marked(text: str, marker: re.Pattern) -> SafeString:
    out: list[str] = []
    at = 0
    for found in marker.finditer(text):
        out.append(escape(text[at : found.start()]))
        out.append(f"<mark>{escape(found.group())}</mark>")
        at = found.end()
    out.append(escape(text[at:]))
    return mark_safe("".join(out))


def snippet(text: str, terms: list[str]) -> SafeString:
    """About SNIPPET characters of the text around its first marked word."""
    marker = _marker(terms)
    first = marker.search(text)
    start = 0
    if first and first.start() > SNIPPET // 4:
        start = text.rfind(" ", 0, first.start() - SNIPPET // 4) + 1
    end = start + SNIPPET
    if end < len(text):
        end = max(text.rfind(" ", start, end), start + SNIPPET // 2)
    piece = text[start:end]
    shown = _marked(piece, marker)
    return mark_safe(("… " if start else "") + shown + (" …" if end < len(text) else ""))


def search(
    user: Any, *, query: str, kind: str = "", unit_id: int | None = None, offset: int = 0
) -> Results:
    """A page of what the viewer may open that holds every word, best match first."""
    terms = terms_of(query)
    known = sources()
    if kind and kind not in known:
        raise Refused(
            _("There is nothing of the kind “%(kind)s” to search. Choose one of: %(kinds)s.")
            % {"kind": kind[:40], "kinds": ", ".join(sorted(known))},
            field="kind",
        )
    unit = None
    if unit_id is not None:
        unit = Unit.objects.filter(pk=unit_id).first()
        if unit is None:
            raise Refused(_("There is no such unit to search in."), field="unit_id")
    if not 0 <= offset <= OFFSET_MAX:
        raise Refused(
            _("Results go up to the %(n)dth: search with more words.") % {"n": OFFSET_MAX},
            field="offset",
        )
    entries = Entry.objects.all()
    if kind:
        entries = entries.filter(kind=kind)
    if unit is not None:
        entries = entries.filter(unit__path__startswith=unit.path)
    allowed = _visible(user, kind)
    if allowed is not None:
        entries = entries.filter(allowed)
    found = list(
        _matching(entries, terms, engine())
        .select_related("unit")
        .only("kind", "object_id", "title", "text", "url", "unit__name")
        .order_by(F("rank").desc(), "-id")[offset : offset + PAGE_SIZE + 1]
    )
    results = Results(
        query=" ".join(query.split()),
        kind=kind,
        unit=unit,
        offset=offset,
        has_next=len(found) > PAGE_SIZE,
    )
    marker = _marker(terms)
    for entry in found[:PAGE_SIZE]:
        results.hits.append(
            Hit(
                kind=entry.kind,
                label=str(known[entry.kind].label) if entry.kind in known else entry.kind,
                object_id=entry.object_id,
                url=entry.url,
                title=entry.title,
                title_html=_marked(entry.title, marker),
                snippet=snippet(entry.text, terms),
                unit_id=entry.unit_id,
                unit_name=entry.unit.name if entry.unit is not None else "",
            )
        )
    return results


def units_to_filter(user: Any) -> list[Unit]:
    """The viewer's unit and those above it: the scopes a member most often narrows to."""
    own = getattr(user, "unit", None)
    if own is None:
        return list(Unit.objects.filter(depth=1).order_by("name"))
    paths = [own.path[: i * Unit.steplen] for i in range(1, own.depth + 1)]
    return list(Unit.objects.filter(path__in=paths).order_by("depth"))
