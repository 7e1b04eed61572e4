from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConstitutionConfig(AppConfig):
    """Changing the constitution by vote: amendments drafted, put to the body the rulebook
    names, and brought into force by the platform's clock on the date stated."""

    name = "commonweal.constitution"
    label = "constitution"
    verbose_name = _("Constitution")
