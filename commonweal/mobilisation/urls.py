from django.urls import path

from . import views

app_name = "mobilisation"
urlpatterns = [
    path("", views.action_list, name="list"),
    path("new/", views.action_create, name="create"),
    path("places/", views.places, name="places"),
    path("places/<int:pk>/remove/", views.place_remove, name="place_remove"),
    path("<int:pk>/", views.action_detail, name="detail"),
    path("<int:pk>/edit/", views.action_edit, name="edit"),
    path("<int:pk>/open/", views.action_open, name="open"),
    path("<int:pk>/close/", views.action_close, name="close"),
    path("<int:pk>/shifts/", views.shift_add, name="shift_add"),
    path("signups/<int:pk>/invite/", views.signup_invite, name="invite"),
]
