from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "commonweal.decisions"
    label = "decisions"
    verbose_name = _("Decisions")
    nav = (25, "decisions:register", _("Decisions"))

    def ready(self) -> None:
        """The member's home lists what this app's steps ask of them (members.needs); a
        body's page links to its decisions (organisation.body_page); the global search finds
        them (search.registry)."""
        from commonweal.members import needs
        from commonweal.organisation import body_page

        from .search_sources import register_sources
        from .selectors import body_section
        from .selectors import needs as provider

        needs.register(provider)
        body_page.register(body_section)
        register_sources()
