from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "commonweal.news"
    label = "news"
    verbose_name = _("News")
    nav = (50, "news:list", _("News"))

    def ready(self) -> None:
        """The global search finds the news a member may open (search.registry)."""
        from .search_sources import register_sources

        register_sources()
