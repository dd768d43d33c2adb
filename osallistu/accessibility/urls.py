from django.urls import path

from . import views

app_name = "accessibility"
urlpatterns = [
    path("", views.statement, name="statement"),
    path("feedback/", views.feedback, name="feedback"),
    path("staff/feedback/", views.staff_feedback, name="staff_feedback"),
    path("staff/feedback/<int:feedback_id>/answered/", views.mark_answered, name="mark_answered"),
]
