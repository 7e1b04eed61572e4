from django.urls import path

from . import views

app_name = "record"
urlpatterns = [
    path("", views.verify, name="verify"),
    path("entries.txt", views.entries, name="entries"),
]
