from django.urls import path

from . import views

app_name = "discussion"
urlpatterns = [
    path("", views.index, name="list"),
    path("debates/new/", views.debate_new, name="debate_new"),
    path("debates/<int:pk>/", views.debate_detail, name="debate"),
    path("debates/<int:pk>/close/", views.debate_close, name="debate_close"),
    path("debates/<int:pk>/map/", views.map_detail, name="map"),
    path("debates/<int:pk>/map/open/", views.map_open, name="map_open"),
    path("contributions/<int:pk>/reply/", views.contribution_reply, name="reply"),
    path("contributions/<int:pk>/edit/", views.contribution_edit, name="edit"),
    path("contributions/<int:pk>/history/", views.contribution_history, name="history"),
    path("contributions/<int:pk>/hide/", views.contribution_hide, name="hide"),
    path("contributions/<int:pk>/appeal/", views.contribution_appeal, name="appeal"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/decide/", views.appeal_decide, name="appeal_decide"),
    path("checks/new/", views.check_new, name="check_new"),
    path("checks/<int:pk>/", views.check_detail, name="check"),
    path("checks/<int:pk>/close/", views.check_close, name="check_close"),
    path("statements/<int:pk>/vote/", views.statement_vote, name="statement_vote"),
    path("statements/<int:pk>/hide/", views.statement_hide, name="statement_hide"),
    path("tendencies/", views.tendency_list, name="tendencies"),
    path("tendencies/new/", views.tendency_new, name="tendency_new"),
    path("tendencies/<slug:slug>/", views.tendency_detail, name="tendency"),
    path("tendencies/<slug:slug>/join/", views.tendency_join, name="tendency_join"),
    path("tendencies/<slug:slug>/leave/", views.tendency_leave, name="tendency_leave"),
    path("positions/new/", views.position_new, name="position_new"),
    path("profile/", views.profile, name="profile"),
]
