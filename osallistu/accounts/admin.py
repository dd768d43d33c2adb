from allauth.socialaccount.models import SocialApp, SocialToken
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import RoleAssignment, ServiceArea, User


class RoleAssignmentForm(forms.ModelForm):
    """Check a role assignment's scope, with messages that name the field to change.

    The database constraints reject the same cases, but only with the constraint's name.
    """

    class Meta:
        model = RoleAssignment
        fields = ["user", "role", "service_area", "suburb", "process"]
        help_texts = {
            "service_area": _(
                "Required for evaluators: the service area whose ideas they evaluate."
            ),
            "suburb": _("Optional. The role then applies only in processes of this suburb."),
            "process": _("Optional. The role then applies only in this process."),
        }

    def clean(self):
        cleaned_data = super().clean()
        role = cleaned_data.get("role")
        if role == RoleAssignment.Role.EVALUATOR and not cleaned_data.get("service_area"):
            self.add_error(
                "service_area", _("Choose the service area in which the evaluator works.")
            )
        if cleaned_data.get("suburb") and cleaned_data.get("process"):
            self.add_error(
                None,
                _(
                    "Scope the role to a suburb or to a process, not both. Leave both empty "
                    "for a city-wide role."
                ),
            )
        return cleaned_data


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    fk_name = "user"
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "language"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined", "verified_at"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]
    # Only strong identification may mark a user as a verified resident.
    readonly_fields = ["verified_at"]
    inlines = [RoleAssignmentInline]


@admin.register(ServiceArea)
class ServiceAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    form = RoleAssignmentForm
    list_display = ["user", "role", "service_area", "suburb", "process"]
    list_filter = ["role", "service_area"]
    list_select_related = ["user", "service_area", "suburb", "process"]
    search_fields = ["user__email", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user"]


# The city's sign-in is configured from the environment only (docs/staff-access.md), and the
# adapter ignores SocialApp rows; tokens are not stored (SOCIALACCOUNT_STORE_TOKENS).
admin.site.unregister(SocialApp)
admin.site.unregister(SocialToken)
