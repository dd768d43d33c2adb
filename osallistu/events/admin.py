from django.contrib import admin

from .models import Event, EventOutcome, Registration


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    raw_id_fields = ["user"]
    readonly_fields = ["created_at"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events for administrators; capacity changes here bypass the waiting-list promotion."""

    list_display = ["title", "kind", "starts_at", "place", "process"]
    list_filter = ["kind", "process"]
    search_fields = ["title", "place"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["co_hosts"]
    inlines = [RegistrationInline]


@admin.register(EventOutcome)
class EventOutcomeAdmin(admin.ModelAdmin):
    list_display = ["event", "recorded_at"]
    raw_id_fields = ["event"]
