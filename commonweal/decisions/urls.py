from django.urls import path

from . import views

app_name = "decisions"
urlpatterns = [
    path("", views.register, name="register"),
    path("register.csv", views.register_csv, name="register_csv"),
    path("record/", views.decision_enter, name="enter"),
    path("<int:pk>/", views.decision_detail, name="detail"),
    path("<int:pk>/minority/", views.minority_attach, name="minority"),
    path("minority/<int:pk>/publish/", views.minority_publish, name="minority_publish"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/report/", views.action_report, name="action_report"),
    path("<int:pk>/review-date/", views.review_set, name="review_set"),
    path("<int:pk>/review/", views.review_record, name="review_record"),
]
