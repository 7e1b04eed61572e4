from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "commonweal.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
    nav = (25, "decisions:register", _("Decisions"))
