from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    """Courses and reading groups, taken self-paced or in a tutored cohort."""

    name = "commonweal.training"
    label = "training"
    verbose_name = _("Training")
    nav = (65, "training:list", _("Learning"))

    def ready(self) -> None:
        """Cohort sessions appear in the members' calendar feeds (news.calendar); a member
        lacking a course the rulebook requires before standing may not stand for the office
        (organisation.candidacy)."""
        from commonweal.news import calendar
        from commonweal.organisation import candidacy

        from .leadership import candidacy_refusal
        from .selectors import calendar_entries

        calendar.register(calendar_entries)
        candidacy.register(candidacy_refusal)
