from django.apps import AppConfig


class OrganisationConfig(AppConfig):
    name = "commonweal.organisation"
    label = "organisation"
    verbose_name = "Units and bodies"
