from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    """Seeing the organisation whole: participation, process flow and inertia dashboards.

    The highest app: it reads every other app's models and selectors, and nothing imports it.
    """

    name = "commonweal.insights"
    label = "insights"
    home_link = (30, "insights:home", _("Participation figures"), None)
    verbose_name = _("Insights")

    def ready(self) -> None:
        from . import signals  # noqa: F401
