from django.urls import path

from . import views

app_name = "implementation"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("<int:pk>/", views.item_detail, name="item_detail"),
    path("staff/", views.staff_list, name="staff_list"),
    path("staff/track/", views.staff_track, name="staff_track"),
    path("staff/import/", views.staff_import, name="staff_import"),
    path("staff/template.csv", views.staff_template, name="staff_template"),
    path("staff/<int:pk>/", views.staff_edit, name="staff_edit"),
    path("staff/<int:pk>/milestones/", views.staff_milestone_add, name="staff_milestone_add"),
    path(
        "staff/<int:pk>/milestones/<int:milestone_pk>/done/",
        views.staff_milestone_done,
        name="staff_milestone_done",
    ),
    path("staff/<int:pk>/updates/", views.staff_update, name="staff_update"),
]
