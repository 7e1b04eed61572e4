from django.urls import path

from . import views

app_name = "development"
urlpatterns = [
    path("", views.home, name="home"),
    path("goals/", views.goal_add, name="goal_add"),
    path("goals/<int:pk>/steps/", views.step_add, name="step_add"),
    path("steps/<int:pk>/mark/", views.step_mark, name="step_mark"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/review/", views.plan_review, name="plan_review"),
    path("mentoring/", views.mentoring, name="mentoring"),
    path("mentoring/ask/", views.mentoring_ask, name="mentoring_ask"),
    path("mentoring/<int:pk>/assign/", views.mentor_assign, name="mentor_assign"),
    path("mentoring/<int:pk>/offer/", views.mentor_offer, name="mentor_offer"),
    path("mentoring/<int:pk>/answer/", views.mentoring_answer, name="mentoring_answer"),
    path("mentoring/<int:pk>/end/", views.mentoring_end, name="mentoring_end"),
]
