from django.contrib import admin

from .models import Poll, PollOption


class PollOptionInline(admin.TabularInline):
    model = PollOption
    extra = 3
    fields = ["text", "position"]


@admin.register(Poll)
class PollAdmin(admin.ModelAdmin):
    list_display = ["question", "process", "is_open", "created_at"]
    list_filter = ["is_open", "process"]
    search_fields = ["question"]
    inlines = [PollOptionInline]
