from django.db import models
from django.utils.translation import gettext_lazy as _


class PostalArea(models.Model):
    """A Paavo postal area (postinumeroalue), Statistics Finland's unit of welfare data."""

    code = models.CharField(_("postal code"), max_length=5, unique=True)
    name = models.CharField(_("name"), max_length=200)
    municipality_code = models.CharField(_("municipality code"), max_length=3, blank=True)
    municipality_name = models.CharField(_("municipality"), max_length=100, blank=True)
    # GeoJSON geometry in WGS84 (EPSG:4326), or empty where no polygon is loaded.
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    # True while the polygon comes from simplified development data rather than the Paavo WFS
    # layer of the statistics year; pages then label the map as development data.
    geometry_is_development_data = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("postal area")
        verbose_name_plural = _("postal areas")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class PaavoRecord(models.Model):
    """One postal area's Paavo statistics for one statistics year.

    `values` maps Paavo variable codes (`he_vakiy`, `pt_tyott`, ...) to a number, or to None where
    the value is missing or suppressed. A missing value is never stored as 0. `missing_reasons`
    maps each missing code to the reason the importer found (see osallistu.areas.paavo), so that
    pages can explain why a rate is missing.
    """

    postal_area = models.ForeignKey(
        PostalArea, on_delete=models.CASCADE, related_name="paavo_records"
    )
    statistics_year = models.PositiveSmallIntegerField(_("statistics year"))
    release_year = models.PositiveSmallIntegerField(_("Paavo release"))
    values = models.JSONField(_("values"), default=dict)
    missing_reasons = models.JSONField(_("reasons for missing values"), default=dict, blank=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["postal_area__code", "-statistics_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["postal_area", "statistics_year"], name="paavo_record_unique_area_year"
            )
        ]
        verbose_name = _("Paavo record")
        verbose_name_plural = _("Paavo records")

    def __str__(self) -> str:
        return f"{self.postal_area.code} {self.statistics_year}"


class Suburb(models.Model):
    """A suburb (lähiö): the city's own unit, the candidate in area selection.

    Suburbs share postal areas with their neighbours, so a suburb maps to several postal areas and
    a postal area may serve several suburbs. Staff maintain the mapping.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("identifier"), unique=True)
    postal_areas = models.ManyToManyField(
        PostalArea, related_name="suburbs", blank=True, verbose_name=_("postal areas")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("suburb")
        verbose_name_plural = _("suburbs")

    def __str__(self) -> str:
        return self.name
