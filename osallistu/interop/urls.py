from django.urls import path

from . import views

app_name = "interop"
urlpatterns = [
    path("processes/<slug:slug>/proposals.csv", views.proposals_csv, name="proposals_csv"),
    path("processes/<slug:slug>/results.csv", views.results_csv, name="results_csv"),
    path("processes/<slug:slug>/import/", views.import_upload, name="import_upload"),
]
