from django.contrib import admin

from .models import BudgetArea, Project


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 1
    fields = ["external_id", "title", "cost", "idea", "is_example"]
    raw_id_fields = ["idea"]


@admin.register(BudgetArea)
class BudgetAreaAdmin(admin.ModelAdmin):
    """Edit an area's budget, the postal codes whose residents may vote there, and its proposals."""

    list_display = ["name", "process", "budget", "vote_type"]
    list_filter = ["process"]
    search_fields = ["name", "process__title"]
    inlines = [ProjectInline]
