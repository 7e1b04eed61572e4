from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "commonweal.library"
    label = "library"
    verbose_name = _("Library")
    nav = (60, "library:list", _("Library"))

    def ready(self) -> None:
        """The global search finds the documents a member may read (search.registry)."""
        from .search_sources import register_sources

        register_sources()
