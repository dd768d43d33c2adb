from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notification_read, name="read_all"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("settings/", views.notification_settings, name="settings"),
    path("follow/<slug:kind>/<int:pk>/", views.follow, name="follow"),
    path("unfollow/<slug:kind>/<int:pk>/", views.unfollow, name="unfollow"),
]
