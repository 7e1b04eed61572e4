from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VotingConfig(AppConfig):
    name = "commonweal.voting"
    label = "voting"
    verbose_name = _("Votes")
    nav = (30, "voting:list", _("Votes"))
