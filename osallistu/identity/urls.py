from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("<slug:process_slug>/start/", views.start, name="start"),
    path("callback/<slug:method>/", views.callback, name="callback"),
    path("test-provider/", views.local_test, name="local_test"),
    path("suomifi/metadata/", views.sp_metadata, name="suomifi_metadata"),
]
