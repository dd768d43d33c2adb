"""Views for comments."""

urlpatterns: list = []
