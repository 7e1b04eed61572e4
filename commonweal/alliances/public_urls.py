"""The public pages of published joint statements (no login), mounted at /solidarity/."""

from django.urls import path

from . import views

app_name = "solidarity"
urlpatterns = [
    path("", views.public_statements, name="list"),
    path("<int:pk>/", views.public_statement, name="statement"),
]
