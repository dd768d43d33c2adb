from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from osallistu.budgeting.models import BudgetArea, BudgetingSettings

from .models import Phase, Poll, PollOption, Process


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


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 1
    fields = ["kind", "starts_on", "ends_on", "permissions"]


class BudgetingSettingsInline(admin.StackedInline):
    model = BudgetingSettings
    can_delete = False
    max_num = 1
    fieldsets = [
        (
            _("Counting"),
            {"fields": ["rule", "completion", "comparison", "min_votes", "stop_at_first_misfit"]},
        ),
        (
            _("Ballot rules"),
            {
                "fields": [
                    "min_budget_share",
                    "min_projects",
                    "max_projects",
                    "area_choice",
                    "allow_replacement",
                ]
            },
        ),
        (
            _("Eligibility"),
            {
                "fields": [
                    "min_age",
                    "age_reference",
                    "municipality_code",
                    "require_residence",
                    "min_group_size",
                ]
            },
        ),
    ]


class BudgetAreaInline(admin.TabularInline):
    model = BudgetArea
    extra = 1
    fields = ["name", "slug", "suburb", "budget", "vote_type", "currency", "postal_codes"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Process)
class ProcessAdmin(admin.ModelAdmin):
    """Set up a process: its phases, its budget areas and, for budgeting, its voting rules."""

    list_display = ["title", "kind", "results_published", "is_example", "created_at"]
    list_filter = ["kind", "results_published", "is_example"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["suburbs"]
    inlines = [PhaseInline, BudgetAreaInline, BudgetingSettingsInline]
