"""The public pages of published policies (no login), mounted at /policies/."""

from django.urls import path

from . import views

app_name = "policies"
urlpatterns = [
    path("", views.public_list, name="list"),
    path("<slug:slug>/", views.public_detail, name="detail"),
]
