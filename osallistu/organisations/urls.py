from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/members/", views.organisation_members, name="members"),
    path(
        "<slug:slug>/members/<int:membership_id>/remove/",
        views.membership_remove,
        name="member_remove",
    ),
]
