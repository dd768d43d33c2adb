from django.urls import path

from . import views, views_picture

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    # Before the postal-code pattern, which would otherwise take "suburbs" as a code.
    path("suburbs/", views_picture.suburb_list, name="suburb_list"),
    path("suburbs/<slug:slug>/", views_picture.suburb_picture, name="suburb_picture"),
    path("<str:code>/", views.area_detail, name="detail"),
]
