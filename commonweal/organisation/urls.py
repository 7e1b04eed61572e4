from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<slug:slug>/", views.unit_detail, name="unit"),
    path("bodies/<slug:slug>/", views.body_detail, name="body"),
    path("bodies/<slug:slug>/refer/", views.referral_create, name="refer"),
]
