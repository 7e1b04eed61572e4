from django.urls import path

from . import views

app_name = "alliances"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("countries/", views.country_overview, name="countries"),
    path("statements/", views.statement_list, name="statements"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/relationships/", views.relationship_start, name="relationship_start"),
    path("relationships/<int:pk>/status/", views.relationship_status, name="relationship_status"),
    path("relationships/<int:pk>/holders/", views.relationship_holder, name="relationship_holder"),
    path("relationships/<int:pk>/contacts/", views.contact_person_add, name="contact_add"),
    path("relationships/<int:pk>/activities/", views.activity_record, name="activity_add"),
    path("relationships/<int:pk>/statements/", views.statement_draft, name="statement_draft"),
    path("contacts/<int:pk>/erase/", views.contact_person_erase, name="contact_erase"),
    path("contacts/<int:pk>/export/", views.contact_person_export, name="contact_export"),
    path("statements/<int:pk>/", views.statement_detail, name="statement"),
    path(
        "statements/<int:pk>/put-to-meeting/",
        views.statement_put_to_meeting,
        name="statement_put_to_meeting",
    ),
    path("statements/<int:pk>/agree/", views.statement_agree, name="statement_agree"),
    path("statements/<int:pk>/publish/", views.statement_publish, name="statement_publish"),
]
