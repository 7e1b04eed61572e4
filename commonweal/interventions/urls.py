from django.urls import path

from . import views

app_name = "interventions"
urlpatterns = [
    path("", views.intervention_list, name="list"),
    path("<int:pk>/", views.intervention_detail, name="detail"),
    path("<int:pk>/put-to-meeting/", views.put_to_meeting, name="put_to_meeting"),
    path("<int:pk>/partners/", views.partners, name="partners"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/assess/", views.assess, name="assess"),
    path("<int:pk>/lessons/", views.lesson_add, name="lesson_add"),
    path("struggles/", views.struggle_list, name="struggles"),
    path("struggles/new/", views.struggle_new, name="struggle_new"),
    path("struggles/<int:pk>/", views.struggle_detail, name="struggle"),
    path("struggles/<int:pk>/update/", views.struggle_update, name="struggle_update"),
    path("struggles/<int:pk>/timeline/", views.event_add, name="event_add"),
    path("struggles/<int:pk>/plan/", views.plan, name="plan"),
    path("lessons/", views.lessons, name="lessons"),
    path("spontaneous/", views.reports, name="reports"),
    path("spontaneous/report/", views.report_action, name="report_action"),
    path("spontaneous/<int:pk>/decide/", views.report_decide, name="report_decide"),
]
