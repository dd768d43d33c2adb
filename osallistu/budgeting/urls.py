from django.urls import path

from . import views, views_results

app_name = "budgeting"
urlpatterns = [
    path("<slug:slug>/vote/", views.ballot_area_choice, name="ballot"),
    path("<slug:slug>/vote/replace/", views.ballot_replace, name="ballot_replace"),
    path("<slug:slug>/vote/<slug:area_slug>/", views.ballot, name="ballot_area"),
    path("<slug:slug>/receipt/", views.receipt_check, name="receipt_check"),
    path("<slug:slug>/receipts/", views.receipt_hashes, name="receipt_hashes"),
    path("<slug:slug>/receipts.json", views.receipt_hashes_json, name="receipt_hashes_json"),
    path(
        "staff/<int:process_id>/results/",
        views_results.results_publish,
        name="results_publish",
    ),
    path("<slug:slug>/results/", views_results.results_page, name="results"),
    path("<slug:slug>/results.csv", views_results.results_csv, name="results_csv"),
    path("<slug:slug>/turnout/", views_results.turnout_page, name="turnout"),
    path("<slug:slug>/turnout.csv", views_results.turnout_csv, name="turnout_csv"),
    path(
        "<slug:slug>/results/<slug:area_slug>/",
        views_results.area_results_page,
        name="results_area",
    ),
    path(
        "<slug:slug>/results/<slug:area_slug>.pb",
        views_results.area_pabulib,
        name="results_pabulib",
    ),
]
