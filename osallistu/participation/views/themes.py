"""Views for themes."""

urlpatterns: list = []
