from django.urls import path

from . import staff_views, views

app_name = "programmes"

# Staff pages come first: the slug "staff" is reserved for them (models.RESERVED_SLUGS).
urlpatterns = [
    path("staff/", staff_views.overview, name="staff_overview"),
    path("staff/new/", staff_views.programme_create, name="staff_programme_create"),
    path(
        "staff/new/chosen/",
        staff_views.programme_create_for_chosen,
        name="staff_programme_create_for_chosen",
    ),
    path("staff/<slug:slug>/", staff_views.programme_manage, name="staff_programme"),
    path("staff/<slug:slug>/edit/", staff_views.programme_edit, name="staff_programme_edit"),
    path("staff/<slug:slug>/goals/new/", staff_views.goal_edit, name="staff_goal_create"),
    path("staff/<slug:slug>/goals/<int:pk>/", staff_views.goal_edit, name="staff_goal_edit"),
    path("staff/<slug:slug>/goals/<int:pk>/move/", staff_views.goal_move, name="staff_goal_move"),
    path(
        "staff/<slug:slug>/goals/<int:pk>/readings/",
        staff_views.goal_measurements,
        name="staff_goal_measurements",
    ),
    path(
        "staff/<slug:slug>/goals/<int:pk>/readings/<int:measurement_pk>/delete/",
        staff_views.measurement_delete,
        name="staff_measurement_delete",
    ),
    path(
        "staff/<slug:slug>/key-actions/new/",
        staff_views.key_action_edit,
        name="staff_key_action_create",
    ),
    path(
        "staff/<slug:slug>/key-actions/from-investments/",
        staff_views.key_actions_from_investments,
        name="staff_key_actions_from_investments",
    ),
    path(
        "staff/<slug:slug>/key-actions/<int:pk>/",
        staff_views.key_action_edit,
        name="staff_key_action_edit",
    ),
    path(
        "staff/<slug:slug>/key-actions/<int:pk>/move/",
        staff_views.key_action_move,
        name="staff_key_action_move",
    ),
    path("staff/<slug:slug>/packages/new/", staff_views.package_edit, name="staff_package_create"),
    path(
        "staff/<slug:slug>/packages/<int:pk>/", staff_views.package_edit, name="staff_package_edit"
    ),
    path(
        "staff/<slug:slug>/packages/<int:pk>/co-design/",
        staff_views.package_co_design,
        name="staff_package_co_design",
    ),
    path("", views.programme_list, name="list"),
    path("<slug:slug>/", views.programme_detail, name="detail"),
    path("<slug:slug>/packages/<slug:package_slug>/", views.package_detail, name="package_detail"),
]
