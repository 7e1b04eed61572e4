"""Markdown written by members, rendered to HTML that cannot carry script."""

import html

import markdown as md
import nh3
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
    "b",
    "i",
    "u",
    "s",
    "del",
    "ins",
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
    "sup",
    "sub",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"align"}, "td": {"align"}}


def render(text: str) -> SafeString:
    html = md.markdown(text or "", extensions=["extra", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(clean)


def clean_plain(text: str) -> str:
    """Strip every tag from a one-line text (titles, names) so no markup is ever stored.

    Stored as plain characters ("Rail & Bus", not "Rail &amp; Bus"): templates escape on
    output. Escaped markup that decodes into a tag is stripped again, until nothing changes.
    """
    plain = text or ""
    for _round in range(5):
        cleaner = html.unescape(nh3.clean(plain, tags=set()))
        if cleaner == plain:
            break
        plain = cleaner
    return plain.strip()
