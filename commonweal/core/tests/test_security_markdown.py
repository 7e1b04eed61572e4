"""Any text of the allowed length renders to sanitised, balanced, shallow HTML of bounded size.

Adversarial texts of 20,000 characters (a contribution's limit) are built from the shapes
that make markdown parsers slow: nesting, brackets, emphasis runs, links, lists, quotes,
code spans and tables. Time is measured in bench/bench_markdown.py, not here; what is
asserted is what a reader would notice: no script, no markup outside the allowed set, and
output whose size and depth stay proportionate to the text (the old renderer nested 10,000
quotes and padded a wide table's every short row with empty cells).
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from commonweal.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, MAX_DEPTH, render

LENGTH = 20_000
# The most a character of text can become: a one-character table row `a` is
# `<tr>\n<td align="center">a</td>\n</tr>\n`, 36 characters for two.
MAX_GROWTH = 20
CONTAINERS = {"blockquote", "ul", "ol", "li"}
VOID = {"br", "hr"}
SCHEMES = {"", "http", "https", "mailto"}

SHAPES = {
    "nesting": [">", "> ", "- ", "* ", "1. ", "  ", "    ", "\n", "a", "+ ", "2) "],
    "brackets": ["[", "]", "(", ")", "![", "](", "[a]", "<", ">", "\\", "a", " ", "\n"],
    "emphasis": ["*", "**", "_", "__", "~~", "~", "a", " ", "*a", "_a", "a*", "a_", "\n"],
    "links": ["[a](", "http://x.y", "www.a.b", "<http://a>", "a@b.c", "](javascript:x)", ")"],
    "lists": ["- ", "1. ", "* ", "\n", "  ", "a", "\n\n", "10) ", "-", "+"],
    "quotes": [">", " ", "a", "\n", "> ", ">>", "\n\n", "-", "```"],
    "code": ["`", "``", "```", "~~~", "a", " ", "\n", "    ", "\\`"],
    "tables": ["|", "-", ":", "a", "\n", " ", "|-", "|a", ":-:", "\n\n"],
    "html": ["<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href=javascript:x>"],
}


def adversarial(tokens: list[str]):
    """A short run of the shape's tokens, repeated up to LENGTH characters."""
    run = st.lists(st.sampled_from(tokens), min_size=1, max_size=60).map("".join)
    return run.map(lambda text: (text * (LENGTH // len(text) + 1))[:LENGTH])


texts = st.one_of(
    st.text(max_size=2_000),
    *(adversarial(tokens) for tokens in SHAPES.values()),
    adversarial([token for tokens in SHAPES.values() for token in tokens]),
)


class Shape(HTMLParser):
    """Walks rendered HTML, checking each tag against the allowed set as it opens and closes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.containers = 0
        self.deepest = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"<{tag}> is not allowed")
        for name, value in attrs:
            if name not in ALLOWED_ATTRIBUTES.get(tag, set()) and (tag, name) != ("a", "rel"):
                self.problems.append(f"<{tag} {name}> is not allowed")
            if name == "href" and urlsplit(value or "").scheme not in SCHEMES:
                self.problems.append(f"a link to {value!r}")
        if tag == "a" and dict(attrs).get("rel") != "noopener noreferrer nofollow":
            self.problems.append("a link without rel")
        if tag not in VOID:
            self.open.append(tag)
        if tag in CONTAINERS:
            self.containers += 1
            self.deepest = max(self.deepest, self.containers)

    def handle_endtag(self, tag):
        if not self.open or self.open.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")
        if tag in CONTAINERS:
            self.containers -= 1

    def handle_startendtag(self, tag, attrs):
        self.problems.append(f"<{tag} /> is not how nh3 writes")


def shape_of(html: str) -> Shape:
    shape = Shape()
    shape.feed(html)
    shape.close()
    return shape


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=texts)
@example(text=("|:" * 20 + "\n") * 800)
def test_any_long_text_renders_sanitised_balanced_shallow_and_in_proportion(text):
    html = render(text)

    shape = shape_of(html)
    assert shape.problems == []
    assert shape.open == []
    assert shape.deepest <= MAX_DEPTH
    assert "<script" not in html.lower()
    assert len(html) <= MAX_GROWTH * len(text) + 100


def test_ten_thousand_nested_quotes_are_shown_thirty_two_deep_with_their_words():
    html = render(">" * 10_000 + " the point")

    assert html.count("<blockquote>") == MAX_DEPTH
    assert "the point" in html


def test_a_table_wider_than_eight_columns_is_shown_as_text_not_a_row_of_cells_per_line():
    text = "|a" * 9 + "|\n" + "|-" * 9 + "|\n" + "x\n" * 9_000

    html = render(text)

    assert "<td" not in html
    assert len(html) < 2 * len(text)


@pytest.mark.parametrize("text", ["|:" * 20, "|" * 20, ": | " * 20, "|-" * 9 + "|"])
def test_lines_of_pipes_and_colons_render_as_text(text):
    assert "<td" not in render(text)


def test_tables_strikethrough_autolinks_and_numbered_lists_still_render():
    html = render("| a | b |\n|---|:-:|\n| 1 | 2 |\n\n~~gone~~ www.example.org\n\n3. three")

    assert '<th align="center">b</th>' in html
    assert "<td>1</td>" in html
    assert "<del>gone</del>" in html
    assert '<a href="http://www.example.org" rel="noopener noreferrer nofollow">' in html
    assert '<ol start="3">' in html


def test_raw_html_and_script_links_are_dropped_but_their_words_kept():
    html = render('Hi <b onclick="x()">there</b> <script>alert(1)</script> [me](javascript:x())')

    assert "onclick" not in html
    assert "<script" not in html
    assert "javascript:" not in html
    assert "there" in html
    assert ">me</a>" in html
