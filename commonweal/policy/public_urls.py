"""The public pages of published policies (no login), mounted at /policies/."""

app_name = "policies"
urlpatterns: list = []
