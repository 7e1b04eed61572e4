from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlliancesConfig(AppConfig):
    name = "commonweal.alliances"
    label = "alliances"
    home_link = (
        10,
        "alliances:list",
        _("Allies: outside organisations"),
        "alliances.view_organisation",
    )
    verbose_name = _("Outside organisations and alliances")

    def ready(self) -> None:
        from . import signals, website_hooks  # noqa: F401 - registers receivers and hooks
