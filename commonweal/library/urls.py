from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.library_list, name="list"),
    path("bodies/<slug:slug>/", views.body_library, name="body"),
    path("bodies/<slug:slug>/upload/", views.upload, name="upload"),
    path("bodies/<slug:slug>/downloads/", views.downloads, name="downloads"),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/new-version/", views.version_add, name="version_add"),
    path("documents/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path(
        "documents/<int:pk>/versions/<int:number>/download/",
        views.download,
        name="download",
    ),
]
