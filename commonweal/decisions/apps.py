from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "commonweal.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
    nav = (25, "decisions:register", _("Decisions"))

    def ready(self) -> None:
        """The member's home lists what this app's steps ask of them (members.needs)."""
        from commonweal.members import needs

        from .selectors import needs as provider

        needs.register(provider)
