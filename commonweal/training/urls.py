from django.urls import path

from . import views

app_name = "training"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("overview/", views.overview, name="overview"),
    path("leadership/", views.leadership_status, name="leadership"),
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("courses/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("courses/<slug:slug>/move/", views.move, name="move"),
    path("courses/<slug:slug>/leave/", views.leave, name="leave"),
    path("courses/<slug:slug>/progress/", views.progress, name="progress"),
    path("courses/<slug:slug>/modules/<int:position>/", views.module_detail, name="module"),
    path("courses/<slug:slug>/modules/<int:position>/done/", views.module_done, name="done"),
    path("courses/<slug:slug>/modules/<int:position>/check/", views.check, name="check"),
    path("courses/<slug:slug>/modules/<int:position>/reflection/", views.reflect, name="reflect"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("reflections/<int:pk>/", views.reflection_detail, name="reflection"),
]
