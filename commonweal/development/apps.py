from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DevelopmentConfig(AppConfig):
    """Members' development plans and mentoring."""

    name = "commonweal.development"
    label = "development"
    home_link = (40, "development:home", _("My development plan"), None)
    verbose_name = _("Development")
