from django.urls import path

from . import movement_views

app_name = "movement"
urlpatterns = [path("", movement_views.movement_page, name="page")]
