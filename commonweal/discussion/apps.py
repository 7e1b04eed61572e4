from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiscussionConfig(AppConfig):
    name = "commonweal.discussion"
    label = "discussion"
    verbose_name = _("Discussion")
    nav = (40, "discussion:list", _("Discussion"))
