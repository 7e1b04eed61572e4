from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "commonweal.policy"
    label = "policy"
    verbose_name = _("Policy")
    nav = (10, "policy:board", _("Policy"))

    def ready(self) -> None:
        """The member's home lists what this app's steps ask of them (members.needs); the
        meeting pages show a policy amendment beside the paragraph it amends; the global search
        finds proposals and policies (search.registry)."""
        from commonweal.meetings.hooks import register_amended_texts
        from commonweal.members import needs

        from .meeting_hooks import amendment_texts
        from .search_sources import register_sources
        from .selectors import needs as provider

        needs.register(provider)
        register_amended_texts("policy.amendment", amendment_texts)
        register_sources()
