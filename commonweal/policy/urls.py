from django.urls import path

from . import views

app_name = "policy"
urlpatterns = [
    path("", views.board, name="board"),
    path("new/", views.propose, name="propose"),
    path("stalled/", views.stalled, name="stalled"),
    path("sections/<slug:slug>/", views.section, name="section"),
    path("<int:pk>/", views.proposal, name="proposal"),
    path("<int:pk>/timeline/", views.timeline, name="timeline"),
    path("<int:pk>/support/", views.support, name="support"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/scope/", views.scope, name="scope"),
    path("scope/<int:pk>/answer/", views.scope_answer, name="scope_answer"),
    path("<int:pk>/circulation/", views.circulation_list, name="circulation_list"),
    path("circulation/<int:pk>/", views.circulation, name="circulation"),
    path("<int:pk>/drafting/", views.drafting_start, name="drafting_start"),
    path("<int:pk>/draft/", views.draft_edit, name="draft_edit"),
    path("<int:pk>/draft/<int:number>/", views.draft, name="draft"),
    path("<int:pk>/compare/", views.compare, name="compare"),
    path("<int:pk>/consultation/", views.consultation_open, name="consultation_open"),
    path("<int:pk>/invite/", views.invite, name="invite"),
    path("<int:pk>/final/", views.final_draft, name="final_draft"),
    path("<int:pk>/approval/", views.approval_call, name="approval_call"),
    path("paragraph/<int:pk>/comment/", views.comment, name="comment"),
    path("paragraph/<int:pk>/amend/", views.amend, name="amend"),
    path("external/<str:token>/", views.external, name="external"),
]
