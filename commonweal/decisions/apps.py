from django.apps import AppConfig


class DecisionsConfig(AppConfig):
    name = "commonweal.decisions"
    label = "decisions"
    verbose_name = "Decisions"
