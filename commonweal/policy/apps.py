from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PolicyConfig(AppConfig):
    name = "commonweal.policy"
    label = "policy"
    verbose_name = _("Policy")
    nav = (10, "policy:board", _("Policy"))
