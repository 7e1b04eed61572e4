from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterventionsConfig(AppConfig):
    """Struggles the organisation takes part in or watches, its interventions in them with
    their aims, the assessment of each against those aims, and the lessons drawn."""

    name = "commonweal.interventions"
    label = "interventions"
    verbose_name = _("Struggles and interventions")
    nav = (27, "interventions:struggles", _("Struggles"))

    def ready(self) -> None:
        """Training's case studies, an outside organisation's page, the global search's
        lessons (search.registry) and the home page's needs (members.needs)."""
        from commonweal.alliances import organisation_page
        from commonweal.members import needs

        from . import cases, hooks, selectors
        from .search_sources import register_sources

        cases.register()
        organisation_page.register(hooks.organisation_section)
        register_sources()
        needs.register(selectors.needs)
