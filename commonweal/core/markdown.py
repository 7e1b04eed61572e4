"""Markdown written by members, rendered to HTML that cannot carry script.

Rendered by cmark-gfm, the C reference implementation of CommonMark with GitHub's tables,
strikethrough and autolinks: it keeps time near-linear in the length of the text, where a
backtracking parser took 97 s over 20,000 `[`. Raw HTML is omitted by cmark and whatever is
left is sanitised by nh3. Two shapes would still cost super-linear time or output and are
bounded before nh3 sees them: nesting (nh3 takes time quadratic in depth, 10,000 `>` nested
10,000 quotes) and table rows padded to a wide header (two characters of text became a row
of empty cells).
"""

import html
import re
from itertools import accumulate, chain

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.db import migrations, models
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "strong",
    "em",
    "del",
    "blockquote",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
EXTENSIONS = ["table", "strikethrough", "autolink"]

# Quotes and lists nested deeper are unwrapped, their text kept: no member writes 32.
MAX_DEPTH = 32
# A wider table stays text: each body row costs a cell per column however short it is.
MAX_TABLE_COLUMNS = 8

_BREAKS = re.compile(r"\s*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\s*")
_LINE_BREAK = re.compile(r"(\r\n|\r|\n)")
_DELIMITER_CHARS = "|-: \t\v\f"
# cmark escapes `<` in text and attributes (safe mode omits raw HTML), so every `<` in its
# output opens one of its own tags.
_CONTAINER = re.compile(r"(<(/?)(?:blockquote|ul|ol|li)(?: [^>]*)?>)")
# The empty cells cmark pads a short row with; a row may simply end before them.
_EMPTY_CELL = r'<td(?: align="[a-z]+")?></td>\n'
_PADDING = re.compile(f"{_EMPTY_CELL}(?:{_EMPTY_CELL})*(?=</tr>)")


def render(text: str) -> SafeString:
    """The member's markdown as sanitised HTML, in time near-linear in its length."""
    source = (text or "").encode("utf-8", "replace").decode("utf-8")
    rendered = cmarkgfm.markdown_to_html_with_extensions(
        _narrow_tables(source), options=Options.CMARK_OPT_VALIDATE_UTF8, extensions=EXTENSIONS
    )
    clean = nh3.clean(
        _PADDING.sub("", _shallow(rendered)),
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)


def _narrow_tables(text: str) -> str:
    """Escape the last dash of a table delimiter row wider than MAX_TABLE_COLUMNS.

    The row then is not a delimiter and the table is text. A line is read from its end
    (container markers such as `>` or `-` may come first), so this is linear.
    """
    parts = _LINE_BREAK.split(text)
    for i in range(0, len(parts), 2):
        line = parts[i]
        if line.count("|") < MAX_TABLE_COLUMNS:
            continue
        tail = line[len(line.rstrip(_DELIMITER_CHARS)) :]
        cells = [cell for cell in tail.split("|") if "-" in cell]
        if len(cells) > MAX_TABLE_COLUMNS:
            last = line.rindex("-")
            parts[i] = f"{line[:last]}\\{line[last:]}"
    return "".join(parts)


def _shallow(rendered: str) -> str:
    """cmark's well-formed output with quotes and lists nested deeper than MAX_DEPTH unwrapped.

    Without it nh3 takes time quadratic in their depth. No loop over tags in Python: the
    depth of every tag comes from one running sum.
    """
    parts = _CONTAINER.split(rendered)
    texts, tags, closings = parts[::3], parts[1::3], parts[2::3]
    if len(tags) <= MAX_DEPTH:
        return rendered
    depths = accumulate(-1 if closing else 1 for closing in closings)
    kept = [
        tag if depth < MAX_DEPTH or (depth == MAX_DEPTH and not closing) else ""
        for tag, depth, closing in zip(tags, depths, closings, strict=True)
    ]
    return "".join(chain.from_iterable(zip(texts, [*kept, ""], strict=True)))


class RenderedMarkdownField(models.TextField):
    """The sanitised HTML of a markdown field of the same row, rendered when the row is saved.

    Pages show it as it is stored instead of rendering on every view. It is rendered in
    `pre_save`, so every save that writes the row writes it too: a save limited by
    `update_fields` must name it beside its source. Read back from the database it is
    marked safe, since only `render` ever wrote it.
    """

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("db_default", "")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        rendered = render(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, rendered)
        return rendered

    def from_db_value(self, value, expression, connection):
        return mark_safe(value)


def render_existing(app_label: str, *model_names: str) -> migrations.RunPython:
    """A migration step that renders the stored HTML of rows written before it was stored."""

    def forward(apps, schema_editor):
        for model_name in model_names:
            model = apps.get_model(app_label, model_name)
            fields = [f for f in model._meta.fields if isinstance(f, RenderedMarkdownField)]
            rows = model.objects.only("pk", *(f.source for f in fields)).order_by("pk")
            batch = []
            for row in rows.iterator(chunk_size=500):
                for field in fields:
                    setattr(row, field.attname, render(getattr(row, field.source)))
                batch.append(row)
                if len(batch) == 500:
                    model.objects.bulk_update(batch, [f.name for f in fields])
                    batch = []
            model.objects.bulk_update(batch, [f.name for f in fields])

    return migrations.RunPython(forward, migrations.RunPython.noop)


def clean_plain(text: str) -> str:
    """Strip every tag from a one-line text (titles, names) so no markup is ever stored.

    Stored as plain characters ("Rail & Bus", not "Rail &amp; Bus"): templates escape on
    output. Escaped markup that decodes into a tag is stripped again, until nothing changes.
    The result is one line (`one_line`).
    """
    plain = text or ""
    for _round in range(5):
        cleaner = html.unescape(nh3.clean(plain, tags=set()))
        if cleaner == plain:
            break
        plain = cleaner
    return one_line(plain)


def one_line(text: str) -> str:
    """The text with each run of line breaks and control characters made one space.

    One-line fields go into email headers (a subject, a unit's name in one): a line break
    there made Django refuse the message, for every recipient of an event with that title.
    """
    return _BREAKS.sub(" ", text or "").strip()
