from django.urls import path

from . import views

app_name = "budgeting"
urlpatterns = [
    path("<slug:slug>/vote/", views.ballot_area_choice, name="ballot"),
    path("<slug:slug>/vote/done/", views.ballot_done, name="ballot_done"),
    path("<slug:slug>/vote/<slug:area_slug>/", views.ballot, name="ballot_area"),
    path("<slug:slug>/results/", views.results, name="results"),
]
