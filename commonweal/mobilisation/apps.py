from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MobilisationConfig(AppConfig):
    """Public action pages (petitions, events, pledges, appeals) and the people who answer."""

    name = "commonweal.mobilisation"
    label = "mobilisation"
    verbose_name = _("Mobilisation")

    def ready(self) -> None:
        from . import rules  # noqa: F401 - registers the permissions
