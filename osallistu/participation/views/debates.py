"""Views for debates."""

urlpatterns: list = []
