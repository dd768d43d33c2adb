from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("process/<int:process_id>/", views.dashboard_by_id, name="dashboard_by_id"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/criteria/", views.criteria, name="criteria"),
    path("<slug:slug>/criteria/publish/", views.criteria_publish, name="criteria_publish"),
    path(
        "<slug:slug>/criteria/<int:criterion_id>/remove/",
        views.criterion_remove,
        name="criterion_remove",
    ),
    path("<slug:slug>/assign/", views.assign, name="assign"),
    path(
        "<slug:slug>/assignments/<int:assignment_id>/remove/",
        views.assignment_remove,
        name="assignment_remove",
    ),
    path("<slug:slug>/worklist/", views.worklist, name="worklist"),
    path("<slug:slug>/assignments/<int:assignment_id>/", views.verdict, name="verdict"),
    path("<slug:slug>/ideas/<int:idea_id>/", views.idea_notes, name="idea_notes"),
    path("<slug:slug>/ideas/<int:idea_id>/answer/", views.consolidate, name="consolidate"),
    path(
        "<slug:slug>/notes.csv",
        views.notes_export,
        {"export_format": "csv"},
        name="notes_export_csv",
    ),
    path(
        "<slug:slug>/notes.json",
        views.notes_export,
        {"export_format": "json"},
        name="notes_export_json",
    ),
    path("<slug:slug>/audit/", views.audit, name="audit"),
]
