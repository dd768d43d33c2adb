from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_create, name="create"),
    path("statistics/<slug:process_slug>/", views.process_statistics, name="statistics"),
    path("calendar/<slug:process_slug>.ics", views.process_calendar, name="process_calendar"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/register/", views.event_register, name="register"),
    path("<slug:slug>/cancel/", views.event_cancel, name="cancel"),
    path("<slug:slug>/calendar.ics", views.event_calendar, name="calendar"),
    path("<slug:slug>/outcome/", views.outcome_edit, name="outcome"),
    path("<slug:slug>/ideas/new/", views.event_idea_create, name="idea_create"),
    path("<slug:slug>/comments/new/", views.event_comment_create, name="comment_create"),
]
