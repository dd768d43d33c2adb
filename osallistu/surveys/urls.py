from django.urls import path

from . import views

app_name = "surveys"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:round_id>/", views.answer, name="answer"),
    path("<int:round_id>/thanks/", views.thanks, name="thanks"),
    path("<int:round_id>/results/", views.feedback_results, name="feedback_results"),
    path("results/", views.comparison, name="comparison"),
    path("results/<slug:slug>/", views.suburb_results, name="suburb_results"),
    path("staff/", views.staff_rounds, name="staff_rounds"),
    path("staff/<int:round_id>/", views.staff_round, name="staff_round"),
    path("staff/<int:round_id>/codes/", views.staff_codes, name="staff_codes"),
    path("staff/<int:round_id>/paper/", views.staff_paper, name="staff_paper"),
    path("staff/<int:round_id>/results.csv", views.staff_csv, name="staff_csv"),
]
