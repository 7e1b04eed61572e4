from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "commonweal.policy"
    label = "policy"
    verbose_name = _("Policy")
    nav = (10, "policy:board", _("Policy"))

    def ready(self) -> None:
        """The member's home lists what this app's steps ask of them (members.needs)."""
        from commonweal.members import needs

        from .selectors import needs as provider

        needs.register(provider)
