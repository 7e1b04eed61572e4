from django import template

from commonweal.core import markdown as md

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    return md.render(text)
