from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "commonweal.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the permission
