from django.urls import path

from . import views

app_name = "voting"
urlpatterns = [
    path("", views.vote_list, name="list"),
    path("new/", views.vote_create, name="create"),
    path("<int:pk>/", views.vote_detail, name="detail"),
    path("<int:pk>/cast/", views.vote_cast, name="cast"),
    path("<int:pk>/open/", views.vote_open, name="open"),
    path("<int:pk>/close/", views.vote_close, name="close"),
    path("<int:pk>/result/", views.vote_result, name="result"),
    path("<int:pk>/ballots.json", views.vote_ballots, name="ballots"),
    path("<int:pk>/receipts.json", views.vote_receipts, name="receipts"),
]
