from django.urls import path

from . import staff_views

app_name = "feedback"
urlpatterns = [
    path("staff/", staff_views.source_list, name="staff_sources"),
    path("staff/sources/new/", staff_views.source_edit, name="staff_source_create"),
    path("staff/sources/<int:pk>/", staff_views.source_edit, name="staff_source_edit"),
    path("staff/sources/<int:pk>/fetch/", staff_views.source_fetch, name="staff_source_fetch"),
    path("staff/sources/<int:pk>/import/", staff_views.source_import, name="staff_source_import"),
    path("staff/flagged/", staff_views.flagged_list, name="staff_flagged"),
]
