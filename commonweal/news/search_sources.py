"""What the global search finds of the news, for whoever may open each item
(`selectors.visible_news`, as `news.view_newsitem`)."""

from django.utils.translation import gettext_lazy as _

from commonweal.search.registry import Document, Source, register

from .models import NewsItem
from .selectors import visible_news


def documents(ids: list[int]) -> dict[int, Document]:
    rows = NewsItem.objects.filter(pk__in=ids).only("title", "body_html", "unit_id")
    return {
        n.pk: Document(title=n.title, text=n.body_html, url=n.get_absolute_url(), unit_id=n.unit_id)
        for n in rows
    }


def register_sources() -> None:
    register(
        Source(
            kind="news.newsitem",
            label=_("News"),
            documents=documents,
            ids=lambda: NewsItem.objects.order_by("pk").values_list("pk", flat=True).iterator(),
            visible=visible_news,
        )
    )
