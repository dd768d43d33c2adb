from django.urls import path

from . import views
from .feeds import SuburbNewsFeed

app_name = "opendata"
urlpatterns = [
    path("", views.index, name="index"),
    path("indicators.csv", views.indicators_csv, name="indicators_csv"),
    path("indicators/<slug:code>.csv", views.indicator_values_csv, name="indicator_values_csv"),
    path("processes.csv", views.processes_csv, name="processes_csv"),
    path("implementation.csv", views.implementation_csv, name="implementation_csv"),
    path("processes/<slug:slug>/ideas.csv", views.ideas_csv, name="ideas_csv"),
    path("events.ics", views.events_ics, name="events_ics"),
    path("suburbs/<slug:slug>/events.ics", views.suburb_events_ics, name="suburb_events_ics"),
    path("suburbs/<slug:slug>/news.atom", SuburbNewsFeed(), name="suburb_news"),
    path("embed/processes/<slug:slug>/", views.embed_process, name="embed_process"),
]
