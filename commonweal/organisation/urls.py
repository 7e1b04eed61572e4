from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<slug:slug>/", views.unit_detail, name="unit"),
    path("units/<slug:slug>/members.csv", views.unit_members_csv, name="unit_members_csv"),
    path("bodies/<slug:slug>/", views.body_detail, name="body"),
    path("bodies/<slug:slug>/refer/", views.referral_create, name="refer"),
]
