from django.contrib import admin

from .models import Feedback, StatementDetails


@admin.register(StatementDetails)
class StatementDetailsAdmin(admin.ModelAdmin):
    list_display = ["reviewed_on", "compliance", "method"]


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["created_at", "page_address", "answered_at"]
    list_filter = ["answered_at"]
