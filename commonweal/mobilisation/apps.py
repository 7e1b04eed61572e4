from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilisationConfig(AppConfig):
    """Public action pages (petitions, events, pledges, appeals) and the people who answer."""

    name = "commonweal.mobilisation"
    label = "mobilisation"
    home_link = (20, "mobilisation:list", _("Public actions"), "mobilisation.add_action")
    verbose_name = _("Mobilisation")

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the permissions
