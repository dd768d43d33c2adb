from django.urls import path

from . import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("log/", views.log, name="log"),
    path("log/csv/", views.log_csv, name="log_csv"),
    path("accounts/", views.block_list, name="block_list"),
    path("accounts/<int:user_id>/block/", views.block, name="block"),
    path("accounts/<int:user_id>/unblock/", views.unblock, name="unblock"),
    path("<slug:kind>/<int:pk>/report/", views.report, name="report"),
    path("<slug:kind>/<int:pk>/hide/", views.hide, name="hide"),
    path("<slug:kind>/<int:pk>/restore/", views.restore, name="restore"),
    path("<slug:kind>/<int:pk>/approve/", views.approve, name="approve"),
    path("<slug:kind>/<int:pk>/dismiss/", views.dismiss, name="dismiss"),
]
