from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import (
    DevelopmentTheme,
    Indicator,
    IndicatorDomain,
    InvestmentProject,
    PaavoRecord,
    PostalArea,
    Suburb,
)


class SuburbMembershipInline(admin.TabularInline):
    model = Suburb.postal_areas.through
    extra = 0
    verbose_name = _("suburb")
    verbose_name_plural = _("suburbs")


@admin.register(PostalArea)
class PostalAreaAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "municipality_name",
        "has_geometry",
        "geometry_is_development_data",
    ]
    list_filter = ["geometry_is_development_data", "municipality_name"]
    search_fields = ["code", "name"]
    # Polygons come from imports (manage.py import_postal_areas_geojson); editing the JSON by hand
    # would bypass the checks of the import.
    readonly_fields = ["geometry", "geometry_is_development_data"]
    inlines = [SuburbMembershipInline]

    @admin.display(boolean=True, description=_("polygon"))
    def has_geometry(self, area: PostalArea) -> bool:
        return bool(area.geometry)


@admin.register(PaavoRecord)
class PaavoRecordAdmin(admin.ModelAdmin):
    """Paavo records are read-only: they change only by importing a Paavo file again."""

    list_display = ["postal_area", "statistics_year", "release_year", "imported_at"]
    list_filter = ["statistics_year", "release_year"]
    list_select_related = ["postal_area"]
    search_fields = ["postal_area__code", "postal_area__name"]
    fields = ["postal_area", "statistics_year", "release_year", "imported_at", "values_table"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("values"))
    def values_table(self, record: PaavoRecord):
        missing = _("missing")
        rows = format_html_join(
            "",
            "<tr><th scope='row'><code>{}</code></th><td>{}</td><td>{}</td></tr>",
            (
                (code, missing if value is None else value, record.missing_reasons.get(code, ""))
                for code, value in record.values.items()
            ),
        )
        return format_html(
            "<table><thead><tr><th scope='col'>{}</th><th scope='col'>{}</th>"
            "<th scope='col'>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("Paavo variable"),
            _("value"),
            _("reason for missing value"),
            rows,
        )


class DevelopmentThemeInline(admin.StackedInline):
    model = DevelopmentTheme
    extra = 1
    fields = ["title", "description", "position"]


@admin.register(Suburb)
class SuburbAdmin(admin.ModelAdmin):
    """Edit a suburb's postal areas and the development themes its situational picture shows."""

    list_display = ["name", "slug", "postal_area_codes"]
    search_fields = ["name", "postal_areas__code", "postal_areas__name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["postal_areas"]
    inlines = [DevelopmentThemeInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("postal_areas")

    @admin.display(description=_("postal areas"))
    def postal_area_codes(self, suburb: Suburb) -> str:
        return ", ".join(area.code for area in suburb.postal_areas.all())


@admin.register(IndicatorDomain)
class IndicatorDomainAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fi", "position"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    """Indicator metadata; values change only through the importers."""

    list_display = ["code", "name_fi", "domain", "unit", "direction", "statistics_year"]
    list_filter = ["domain", "direction"]
    search_fields = ["code", "name_fi", "name_sv", "name_en"]


@admin.register(InvestmentProject)
class InvestmentProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "suburb", "year", "cost", "service_area", "priority", "is_prioritised"]
    list_filter = ["year", "suburb", "is_prioritised"]
    search_fields = ["name", "external_id"]
