"""Views for one off."""

urlpatterns: list = []
