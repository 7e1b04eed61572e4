from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    name = "commonweal.website"
    label = "website"
    verbose_name = "Public website"
