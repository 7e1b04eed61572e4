from django.urls import path

from . import views

app_name = "members"
urlpatterns = [
    path("", views.home, name="home"),
    path("join/", views.join, name="join"),
    path("applications/", views.applications, name="applications"),
    path("needs/counts/", views.need_counts, name="need_counts"),
    path("applications/<int:pk>/decide/", views.application_decide, name="application_decide"),
    path("profile/", views.profile, name="profile"),
    path("profile/export/", views.export, name="export"),
    path("profile/erase/", views.erase, name="erase"),
    path("profile/leave/", views.leave, name="leave"),
    path("profile/tokens/", views.tokens, name="tokens"),
    path("profile/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("register/", views.register, name="register"),
    path("offers/", views.offers, name="offers"),
    path("offers/mine/", views.my_offers, name="my_offers"),
    path("offers/<int:pk>/withdraw/", views.offer_withdraw, name="offer_withdraw"),
    path("offers/<int:pk>/answer/", views.offer_answer, name="offer_answer"),
    path("import/", views.import_new, name="import_new"),
    path("import/<int:pk>/", views.import_detail, name="import_detail"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/columns/", views.import_columns, name="import_columns"),
    path("import/<int:pk>/check/", views.import_check, name="import_check"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<int:pk>/discard/", views.import_discard, name="import_discard"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/suspend/", views.suspend, name="suspend"),
    path("<int:pk>/reinstate/", views.reinstate, name="reinstate"),
]
