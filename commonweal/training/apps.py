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
        (organisation.candidacy), and a body's page shows whether its office-holders have the
        training their offices require (organisation.body_page); officers search the
        capacities register by completed course (members.register)."""
        from commonweal.members import register
        from commonweal.news import calendar
        from commonweal.organisation import body_page, candidacy

        from .leadership import body_section, candidacy_refusal
        from .selectors import calendar_entries, register_course_choices, register_course_condition

        calendar.register(calendar_entries)
        candidacy.register(candidacy_refusal)
        body_page.register(body_section)
        register.register(
            register.RegisterFilter(
                key="course",
                label=_("Has completed"),
                choices=register_course_choices,
                condition=register_course_condition,
            )
        )
