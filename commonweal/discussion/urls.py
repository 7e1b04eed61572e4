app_name = "discussion"
urlpatterns: list = []
