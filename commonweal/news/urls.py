from django.urls import path

from . import views

app_name = "news"
urlpatterns = [
    path("", views.news_list, name="list"),
    path("new/", views.create, name="create"),
    path("public/", views.public_list, name="public_list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("boards/", views.boards, name="boards"),
    path("boards/<int:unit_id>/", views.board, name="board"),
    path("notices/<int:pk>/take-down/", views.notice_take_down, name="notice_take_down"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/<str:secret>.ics", views.calendar_ics, name="calendar_ics"),
]
