from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/", views.city, name="city"),
    path("<int:year>/summary.csv", views.city_csv, name="city_csv"),
    path("<int:year>/summary.pdf", views.city_pdf, name="city_pdf"),
    path("<int:year>/<slug:slug>/", views.suburb, name="suburb"),
    path("<int:year>/<slug:slug>/report.csv", views.suburb_csv, name="suburb_csv"),
    path("<int:year>/<slug:slug>/report.pdf", views.suburb_pdf, name="suburb_pdf"),
]
