from django.urls import path

from . import views

app_name = "constitution"
urlpatterns = [
    path("new/", views.draft, name="draft"),
    path("<int:number>/", views.version, name="version"),
    path("<int:number>/submit/", views.submit, name="submit"),
]
