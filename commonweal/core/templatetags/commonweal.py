from django import template

from commonweal.core import markdown as md

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    """Render on every view: only for text that is not stored with its HTML.

    Stored text is shown from its `RenderedMarkdownField` (`text_html`), rendered once when
    it was saved.
    """
    return md.render(text)
