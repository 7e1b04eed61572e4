from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "commonweal.discussion"
    label = "discussion"
    verbose_name = _("Discussion")
    nav = (40, "discussion:list", _("Discussion"))

    def ready(self) -> None:
        """Email replies to a debate's notifications come back as contributions; the
        decision register asks which tendencies a member may speak for; the global search finds
        debates (search.registry)."""
        from commonweal.decisions import tendencies
        from commonweal.notifications import replies

        from .search_sources import register_sources
        from .selectors import speakable_tendencies
        from .services import post_email_reply

        replies.register("discussion", post_email_reply)
        tendencies.provide(speakable_tendencies)
        register_sources()
