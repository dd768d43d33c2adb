from django.urls import path

from . import views

app_name = "desk"

urlpatterns = [
    path("", views.where, name="where"),
    path("<int:process_id>/", views.check, name="check"),
    path("<int:process_id>/assisted/", views.assisted, name="assisted"),
    path("<int:process_id>/paper/<int:paper_id>/", views.paper_entry, name="paper_entry"),
    path(
        "<int:process_id>/paper/<int:paper_id>/resolve/",
        views.paper_resolve,
        name="paper_resolve",
    ),
]
