from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("units/", views.unit_tree, name="unit_tree"),
    path("units/<slug:slug>/", views.unit_detail, name="unit"),
    path("units/<slug:slug>/members.csv", views.unit_members_csv, name="unit_members_csv"),
    path("units/<slug:slug>/members.xlsx", views.unit_members_xlsx, name="unit_members_xlsx"),
    path("bodies/<slug:slug>/", views.body_detail, name="body"),
    path("bodies/<slug:slug>/refer/", views.referral_create, name="refer"),
    path("units/<slug:slug>/new-unit/", views.unit_new, name="unit_new"),
    path("units/<slug:slug>/rename/", views.unit_rename, name="unit_rename"),
    path("units/<slug:slug>/close/", views.unit_close, name="unit_close"),
    path("units/<slug:slug>/merge/", views.unit_merge, name="unit_merge"),
    path("units/<slug:slug>/new-body/", views.body_new, name="body_new"),
    path("bodies/<slug:slug>/close/", views.body_close, name="body_close"),
    path("bodies/<slug:slug>/members/add/", views.body_member_add, name="body_member_add"),
    path(
        "bodies/<slug:slug>/members/<int:pk>/remove/",
        views.body_member_remove,
        name="body_member_remove",
    ),
    path("bodies/<slug:slug>/appoint/", views.mandate_appoint, name="mandate_appoint"),
    path("mandates/<int:pk>/end/", views.mandate_end, name="mandate_end"),
    path("referrals/<int:pk>/answer/", views.referral_answer, name="referral_answer"),
]
