from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "commonweal.members"
    label = "members"
    verbose_name = "Members"
