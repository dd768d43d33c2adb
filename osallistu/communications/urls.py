from django.urls import path, re_path

from . import views

app_name = "communications"
urlpatterns = [
    path("", views.index, name="index"),
    re_path(
        r"^(?P<kind>suburb|event)s/(?P<slug>[-\w]+)/poster/$", views.poster_edit, name="poster"
    ),
    re_path(
        r"^(?P<kind>suburb|event)s/(?P<slug>[-\w]+)/(?P<document>poster|flyer)\.pdf$",
        views.print_pdf,
        name="print_pdf",
    ),
    re_path(
        r"^(?P<kind>suburb|event)s/(?P<slug>[-\w]+)/(?P<document>poster|flyer)\.html$",
        views.print_html,
        name="print_html",
    ),
    path("suburbs/<slug:slug>/channels/", views.channel_log, name="channel_log"),
    path("suburbs/<slug:slug>/newsletters/", views.newsletter_list, name="newsletter_list"),
    path("suburbs/<slug:slug>/newsletters/new/", views.newsletter_edit, name="newsletter_create"),
    path(
        "suburbs/<slug:slug>/newsletters/<int:pk>/",
        views.newsletter_detail,
        name="newsletter_detail",
    ),
    path(
        "suburbs/<slug:slug>/newsletters/<int:pk>/edit/",
        views.newsletter_edit,
        name="newsletter_edit",
    ),
]
