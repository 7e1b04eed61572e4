from django.urls import path

from . import feeds, views

app_name = "website"
urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.text_page, {"slug": "about"}, name="about"),
    path("how-to-join/", views.text_page, {"slug": "join"}, name="join"),
    path("site-texts/<slug:slug>/edit/", views.text_edit, name="text_edit"),
    path("feeds/news.atom", feeds.PublicNewsFeed(), name="news_feed"),
    path("feeds/policies.atom", feeds.PoliciesFeed(), name="policies_feed"),
    path("record/checkpoints/", views.record_checkpoints, name="checkpoints"),
    path("constitution/", views.constitution, name="constitution"),
    path("feeds/record-checkpoints.atom", feeds.CheckpointsFeed(), name="checkpoints_feed"),
]
