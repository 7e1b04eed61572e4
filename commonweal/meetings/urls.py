from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_schedule, name="schedule"),
    path("econference/new/", views.econference_call, name="call"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/live/", views.live, name="live"),
    path("<int:pk>/projector/", views.projector, name="projector"),
    path("<int:pk>/open/", views.meeting_open, name="open"),
    path("<int:pk>/close/", views.meeting_close, name="close"),
    path("<int:pk>/video/", views.video_set, name="video"),
    path("<int:pk>/delegates/", views.delegates, name="delegates"),
    path("<int:pk>/attend/", views.attend, name="attend"),
    path("<int:pk>/leave/", views.leave, name="leave"),
    path("<int:pk>/items/", views.item_add, name="item_add"),
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("<int:pk>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path("items/<int:pk>/speakers/", views.speakers, name="speakers"),
    path("items/<int:pk>/speak/", views.speak, name="speak"),
    path("items/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("items/<int:pk>/next-speaker/", views.speaker_next, name="speaker_next"),
    path("items/<int:pk>/stop-speaker/", views.speaker_stop, name="speaker_stop"),
    path("items/<int:pk>/motions/", views.motion_table, name="motion_table"),
    path("items/<int:pk>/nominate/", views.nominate, name="nominate"),
    path("items/<int:pk>/election/", views.election_open, name="election_open"),
    path("motions/<int:pk>/vote/", views.motion_vote, name="motion_vote"),
    path("bodies/<slug:slug>/accountability/", views.accountability, name="accountability"),
    path("mandates/<int:pk>/report/", views.report_file, name="report"),
    path("mandates/<int:pk>/recall/", views.recall_start, name="recall_start"),
    path("recalls/<int:pk>/", views.recall_detail, name="recall"),
    path("recalls/<int:pk>/support/", views.recall_support, name="recall_support"),
]
