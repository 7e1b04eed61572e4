"""The public pages of actions (no login), mounted at /act/."""

from django.urls import path

from . import public_views as views

app_name = "act"
urlpatterns = [
    path("<slug:slug>/", views.action, name="action"),
    path("<slug:slug>/count/", views.counter, name="counter"),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("s/<str:token>/confirm/", views.confirm, name="confirm"),
    path("s/<str:token>/", views.manage, name="manage"),
]
