from django.urls import path

from . import staff_views, views, views_picture

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    # Staff pages come before the postal-code pattern, which would match "staff".
    path("staff/", staff_views.overview, name="staff_overview"),
    path("staff/import/", staff_views.import_upload, name="staff_import"),
    path("staff/imports/", staff_views.import_list, name="staff_imports"),
    path("staff/imports/<int:pk>/", staff_views.import_status, name="staff_import_status"),
    path("staff/suburbs/", staff_views.suburb_list, name="staff_suburbs"),
    path("staff/suburbs/new/", staff_views.suburb_edit, name="staff_suburb_new"),
    path("staff/suburbs/<slug:slug>/", staff_views.suburb_edit, name="staff_suburb_edit"),
    path("staff/investments/", staff_views.investment_list, name="staff_investments"),
    # Before the postal-code pattern, which would otherwise take "suburbs" as a code.
    path("suburbs/", views_picture.suburb_list, name="suburb_list"),
    path("suburbs/<slug:slug>/", views_picture.suburb_picture, name="suburb_picture"),
    path("<str:code>/", views.area_detail, name="detail"),
]
