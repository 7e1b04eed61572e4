from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "commonweal.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    nav = (20, "meetings:list", _("Meetings"))

    def ready(self) -> None:
        """The member's home lists what this app's steps ask of them (members.needs)."""
        from commonweal.members import needs

        from .selectors import needs as provider

        needs.register(provider)
