from django.urls import path

from . import views

app_name = "participation"
urlpatterns = [
    path("", views.process_list, name="process_list"),
    path("<slug:slug>/", views.process_detail, name="process_detail"),
    path("<slug:slug>/ideas/", views.idea_list, name="idea_list"),
    path("<slug:slug>/ideas/new/", views.idea_create, name="idea_create"),
    path("<slug:slug>/ideas/<int:idea_id>/", views.idea_detail, name="idea_detail"),
]
