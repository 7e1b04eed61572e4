"""The organisers' pages of an action, and the signer's one-click unsubscribe."""

from django.urls import path

from . import organiser_views as views

app_name = "organising"
urlpatterns = [
    path("<int:pk>/organisers/", views.overview, name="overview"),
    path("<int:pk>/organisers/signups.csv", views.export, name="export"),
    path("<int:pk>/organisers/checkin/", views.checkin, name="checkin"),
    path("<int:pk>/organisers/checkin/batch/", views.checkin_batch, name="checkin_batch"),
    path("<int:pk>/organisers/message/", views.message, name="message"),
    path("unsubscribe/<str:token>/<str:purpose>/", views.unsubscribe, name="unsubscribe"),
]
