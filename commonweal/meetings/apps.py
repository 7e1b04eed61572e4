from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "commonweal.meetings"
    label = "meetings"
    verbose_name = _("Meetings")
    nav = (20, "meetings:list", _("Meetings"))

    def ready(self) -> None:
        """The member's home lists what this app's steps ask of them (members.needs); a
        body's page lists the elections scheduled to fill its offices and its office-holders'
        missing reports; a vote's page shows the motion or agenda item put to it; the global
        search finds minutes (search.registry)."""
        from commonweal.members import needs
        from commonweal.organisation import body_page, elections
        from commonweal.voting import agenda

        from .search_sources import register_sources
        from .selectors import accountability_section, put_to_vote, upcoming_elections
        from .selectors import needs as provider

        needs.register(provider)
        elections.register(upcoming_elections)
        body_page.register(accountability_section)
        agenda.register(put_to_vote)
        register_sources()
