from django.urls import path

from . import views

app_name = "insights"
urlpatterns = [
    path("", views.home, name="home"),
    path("units/<slug:slug>/", views.unit, name="unit"),
    path("units/<slug:slug>/participation.csv", views.unit_csv, name="unit_csv"),
    path("bodies/<int:pk>/", views.body, name="body"),
    path("bodies/<int:pk>/participation.csv", views.body_csv, name="body_csv"),
]
