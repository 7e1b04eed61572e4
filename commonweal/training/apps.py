from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Courses and reading groups, taken self-paced or in a tutored cohort."""

    name = "commonweal.training"
    label = "training"
    verbose_name = _("Training")
    nav = (65, "training:list", _("Learning"))

    def ready(self) -> None:
        """Cohort sessions appear in the members' calendar feeds (news.calendar)."""
        from commonweal.news import calendar

        from .selectors import calendar_entries

        calendar.register(calendar_entries)
