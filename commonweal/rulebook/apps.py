from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulebookConfig(AppConfig):
    name = "commonweal.rulebook"
    label = "rulebook"
    verbose_name = "Rulebook"
    nav = (90, "rulebook:current", _("Rulebook"))
