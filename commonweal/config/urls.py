from django.contrib import admin
from django.urls import include, path

from commonweal.core.signin import admin_password_change, admin_sign_in

from .api import api

# No /media/ route, in development either: uploads go out only through the library's
# permission-checked download view.
urlpatterns = [
    # Signing in, and changing one's password, happen on the site's own pages only.
    path("admin/login/", admin_sign_in),
    path("admin/password_change/", admin_password_change),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", api.urls),
    path("members/", include("commonweal.members.urls")),
    path("organisation/", include("commonweal.organisation.urls")),
    path("record/", include("commonweal.record.urls")),
    path("rulebook/amendments/", include("commonweal.constitution.urls")),
    path("rulebook/", include("commonweal.rulebook.urls")),
    path("notifications/", include("commonweal.notifications.urls")),
    path("policy/", include("commonweal.policy.urls")),
    path("policies/", include("commonweal.policy.public_urls")),
    path("meetings/", include("commonweal.meetings.urls")),
    path("votes/", include("commonweal.voting.urls")),
    path("decisions/", include("commonweal.decisions.urls")),
    path("discussion/", include("commonweal.discussion.urls")),
    path("news/", include("commonweal.news.urls")),
    path("library/", include("commonweal.library.urls")),
    path("interventions/", include("commonweal.interventions.urls")),
    path("training/", include("commonweal.training.urls")),
    path("alliances/", include("commonweal.alliances.urls")),
    path("solidarity/", include("commonweal.alliances.public_urls")),
    path("development/", include("commonweal.development.urls")),
    path("mobilisation/", include("commonweal.mobilisation.urls")),
    path("act/", include("commonweal.mobilisation.public_urls")),
    path("mobilisation/", include("commonweal.mobilisation.organiser_urls")),
    path("movement/", include("commonweal.mobilisation.movement_urls")),
    path("insights/", include("commonweal.insights.urls")),
    path("search/", include("commonweal.search.urls")),
    path("", include("commonweal.website.urls")),
]
