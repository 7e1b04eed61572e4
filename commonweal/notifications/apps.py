from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "commonweal.notifications"
    label = "notifications"
    verbose_name = "Notifications"
