from django.urls import path

from . import views

app_name = "selection"

urlpatterns = [
    path("", views.round_list, name="round_list"),
    path("configurations/", views.configuration_list, name="configuration_list"),
    path("configurations/new/", views.configuration_edit, name="configuration_create"),
    path("configurations/<int:pk>/", views.configuration_edit, name="configuration_edit"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("rounds/<int:pk>/compute/", views.round_compute, name="round_compute"),
    path("rounds/<int:pk>/recompute/", views.round_recompute, name="round_recompute"),
    path("rounds/<int:pk>/propose/", views.round_propose, name="round_propose"),
    path("rounds/<int:pk>/decide/", views.round_decide, name="round_decide"),
    path("rounds/<int:pk>/proposal/", views.proposal, name="proposal"),
    path("rounds/<int:pk>/proposal.pdf", views.proposal_pdf, name="proposal_pdf"),
    # Public: the board's decisions and the proposals they were made on.
    path("decisions/", views.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views.decision_proposal, name="decision_proposal"),
    path("decisions/<int:pk>/proposal.pdf", views.decision_proposal_pdf, name="decision_pdf"),
]
