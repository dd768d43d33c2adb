from django.urls import path

from . import views

app_name = "budgeting"
urlpatterns = [
    path("<slug:slug>/vote/", views.ballot_area_choice, name="ballot"),
    path("<slug:slug>/vote/replace/", views.ballot_replace, name="ballot_replace"),
    path("<slug:slug>/vote/<slug:area_slug>/", views.ballot, name="ballot_area"),
    path("<slug:slug>/receipt/", views.receipt_check, name="receipt_check"),
    path("<slug:slug>/receipts/", views.receipt_hashes, name="receipt_hashes"),
    path("<slug:slug>/receipts.json", views.receipt_hashes_json, name="receipt_hashes_json"),
    path("<slug:slug>/results/", views.results, name="results"),
]
