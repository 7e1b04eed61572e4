from django.urls import path

from . import author_views, views

app_name = "training"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("overview/", views.overview, name="overview"),
    path("leadership/", views.leadership_status, name="leadership"),
    path("write/", author_views.course_write, name="write"),
    path("courses/<slug:slug>/", views.course_detail, name="course"),
    path("courses/<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("courses/<slug:slug>/move/", views.move, name="move"),
    path("courses/<slug:slug>/leave/", views.leave, name="leave"),
    path("courses/<slug:slug>/progress/", views.progress, name="progress"),
    path("courses/<slug:slug>/modules/<int:position>/", views.module_detail, name="module"),
    path("courses/<slug:slug>/modules/<int:position>/done/", views.module_done, name="done"),
    path("courses/<slug:slug>/modules/<int:position>/check/", views.check, name="check"),
    path("courses/<slug:slug>/modules/<int:position>/reflection/", views.reflect, name="reflect"),
    path("courses/<slug:slug>/versions/<int:number>/", views.version_detail, name="version"),
    path(
        "courses/<slug:slug>/versions/<int:number>/modules/<int:position>/",
        views.version_module,
        name="version_module",
    ),
    path("courses/<slug:slug>/draft/", author_views.draft, name="draft"),
    path("courses/<slug:slug>/draft/modules/new/", author_views.module_add, name="module_add"),
    path(
        "courses/<slug:slug>/draft/modules/<int:position>/",
        author_views.module_edit,
        name="module_edit",
    ),
    path(
        "courses/<slug:slug>/draft/modules/<int:position>/move/",
        author_views.module_move,
        name="module_move",
    ),
    path(
        "courses/<slug:slug>/draft/modules/<int:position>/remove/",
        author_views.module_remove,
        name="module_remove",
    ),
    path(
        "courses/<slug:slug>/draft/modules/<int:position>/cases/",
        author_views.case_attach,
        name="case_attach",
    ),
    path(
        "courses/<slug:slug>/draft/modules/<int:position>/cases/<int:pk>/detach/",
        author_views.case_detach,
        name="case_detach",
    ),
    path("courses/<slug:slug>/publish/", author_views.publish, name="publish"),
    path("courses/<slug:slug>/withdraw/", author_views.withdraw, name="withdraw"),
    path("courses/<slug:slug>/cohorts/new/", author_views.cohort_add, name="cohort_add"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/close/", author_views.cohort_close, name="cohort_close"),
    path("reflections/<int:pk>/", views.reflection_detail, name="reflection"),
]
