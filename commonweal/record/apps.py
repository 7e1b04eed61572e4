from django.apps import AppConfig


class RecordConfig(AppConfig):
    name = "commonweal.record"
    label = "record"
    verbose_name = "The record"
