from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("", views.notice_list, name="notice_list"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.download, name="download"),
    path("delete-account/", views.erase, name="erase"),
    path("staff/<slug:processing>/", views.notice_edit, name="notice_edit"),
    path("<slug:processing>/", views.notice_detail, name="notice"),
]
