from django.contrib import admin

from .models import Goal, GoalMeasurement, KeyAction, Programme, ProjectPackage


class GoalInline(admin.TabularInline):
    model = Goal
    fields = ["position", "title", "theme", "origin", "measure_kind", "baseline", "target"]
    extra = 0
    show_change_link = True


class KeyActionInline(admin.TabularInline):
    model = KeyAction
    fields = ["position", "title", "starts_year", "investment_project"]
    extra = 0
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["title", "suburb", "starts_year", "ends_year", "is_example"]
    list_filter = ["is_example"]
    search_fields = ["title", "suburb__name"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [GoalInline, KeyActionInline]


class GoalMeasurementInline(admin.TabularInline):
    model = GoalMeasurement
    extra = 0


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "measure_kind", "baseline", "target"]
    list_filter = ["measure_kind", "programme"]
    search_fields = ["title"]
    inlines = [GoalMeasurementInline]


@admin.register(KeyAction)
class KeyActionAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "starts_year", "investment_project"]
    list_filter = ["programme"]
    search_fields = ["title"]
    filter_horizontal = ["goals"]


@admin.register(ProjectPackage)
class ProjectPackageAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "service_area", "process", "is_example"]
    list_filter = ["programme", "service_area"]
    search_fields = ["title"]
    filter_horizontal = ["key_actions", "themes"]
