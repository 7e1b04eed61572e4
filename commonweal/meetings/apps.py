from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "commonweal.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    nav = (20, "meetings:list", _("Meetings"))

    def ready(self) -> None:
        """The member's home lists what this app's steps ask of them (members.needs); a
        body's page lists the elections scheduled to fill its offices."""
        from commonweal.members import needs
        from commonweal.organisation import elections

        from .selectors import needs as provider
        from .selectors import upcoming_elections

        needs.register(provider)
        elections.register(upcoming_elections)
