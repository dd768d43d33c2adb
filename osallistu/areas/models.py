from django.conf import settings
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


class DevelopmentTheme(models.Model):
    """A development theme (kehittämisteema) that experts draft for a suburb.

    The situational picture lists a chosen suburb's themes; residents then set goals under them.
    """

    suburb = models.ForeignKey(Suburb, on_delete=models.CASCADE, related_name="development_themes")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["suburb", "position", "pk"]
        verbose_name = _("development theme")
        verbose_name_plural = _("development themes")

    def __str__(self) -> str:
        return self.title


class IndicatorDomain(models.Model):
    """A domain of the need index, such as income or infrastructure condition."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("indicator domain")
        verbose_name_plural = _("indicator domains")

    def __str__(self) -> str:
        return self.code


class Indicator(models.Model):
    """A welfare or infrastructure indicator with its metadata.

    `direction` says how to read the value for the need index: for `higher` a higher value means
    more need (unemployment rate), for `lower` a lower value does (median income).
    """

    class Direction(models.TextChoices):
        HIGHER = "higher", _("a higher value means more need")
        LOWER = "lower", _("a lower value means more need")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    domain = models.ForeignKey(
        IndicatorDomain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("domain"),
    )
    name_fi = models.CharField(_("name in Finnish"), max_length=300)
    name_sv = models.CharField(_("name in Swedish"), max_length=300)
    name_en = models.CharField(_("name in English"), max_length=300)
    unit = models.CharField(_("unit"), max_length=40)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER
    )
    formula = models.TextField(_("formula"), blank=True)
    source = models.CharField(_("source"), max_length=300)
    licence = models.CharField(_("licence"), max_length=100)

    class Aggregation(models.TextChoices):
        RATIO = "ratio", _("sum of numerators divided by sum of denominators")
        SUM = "sum", _("sum of values")

    # How values of postal areas combine into a suburb or municipality value: a ratio is
    # `scale * sum(numerators) / sum(denominators)`, never a mean of the areas' values; a sum
    # adds the values (counts such as population or euros of repair backlog).
    aggregation = models.CharField(
        _("aggregation"), max_length=10, choices=Aggregation.choices, default=Aggregation.RATIO
    )
    # Factor from numerator / denominator to `value`: 100 for percentages, 1 for shares or euros.
    scale = models.FloatField(_("scale"), default=1.0)
    # Statistics year of the newest loaded values; each value also carries its own year.
    statistics_year = models.PositiveSmallIntegerField(_("statistics year"), null=True, blank=True)

    class Meta:
        ordering = ["domain__position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self) -> str:
        return self.code


class IndicatorValue(models.Model):
    """One indicator's value for one area and statistics year.

    Exactly one of `postal_area`, `suburb` and `municipality_code` names the area: postal areas
    carry Paavo and most city data, suburbs carry city data collected per suburb, and municipality
    codes carry THL Sotkanet trends and municipal totals. Rates keep their numerator and
    denominator so that a suburb's rate is recomputed from sums, never as a mean of rates. A
    missing or suppressed value has `value` None and never counts as 0.
    """

    class Status(models.TextChoices):
        OK = "ok", _("available")
        MISSING = "missing", _("missing")
        SUPPRESSED = "suppressed", _("suppressed for privacy")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    postal_area = models.ForeignKey(
        PostalArea, on_delete=models.CASCADE, null=True, blank=True, related_name="indicator_values"
    )
    suburb = models.ForeignKey(
        Suburb, on_delete=models.CASCADE, null=True, blank=True, related_name="indicator_values"
    )
    municipality_code = models.CharField(_("municipality code"), max_length=3, blank=True)
    statistics_year = models.PositiveSmallIntegerField(_("statistics year"))
    value = models.FloatField(_("value"), null=True, blank=True)
    numerator = models.FloatField(_("numerator"), null=True, blank=True)
    denominator = models.FloatField(_("denominator"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OK)
    # Gender or other breakdown of a Sotkanet row ("total", "male", "female"); "" where none.
    breakdown = models.CharField(_("breakdown"), max_length=20, blank=True)

    class Meta:
        ordering = ["indicator", "statistics_year"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(postal_area__isnull=False, suburb__isnull=True, municipality_code="")
                    | models.Q(postal_area__isnull=True, suburb__isnull=False, municipality_code="")
                    | (
                        models.Q(postal_area__isnull=True, suburb__isnull=True)
                        & ~models.Q(municipality_code="")
                    )
                ),
                name="indicator_value_one_area",
            ),
            models.UniqueConstraint(
                fields=["indicator", "postal_area", "statistics_year", "breakdown"],
                condition=models.Q(postal_area__isnull=False),
                name="indicator_value_unique_postal_area",
            ),
            models.UniqueConstraint(
                fields=["indicator", "suburb", "statistics_year", "breakdown"],
                condition=models.Q(suburb__isnull=False),
                name="indicator_value_unique_suburb",
            ),
            models.UniqueConstraint(
                fields=["indicator", "municipality_code", "statistics_year", "breakdown"],
                condition=~models.Q(municipality_code=""),
                name="indicator_value_unique_municipality",
            ),
        ]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")

    def __str__(self) -> str:
        return f"{self.indicator_id} {self.statistics_year}"


class InvestmentProject(models.Model):
    """A project of the city's investment programme in a suburb, with its year and priority."""

    suburb = models.ForeignKey(Suburb, on_delete=models.CASCADE, related_name="investment_projects")
    # The identifier in the city's investment programme; re-imports update by it.
    external_id = models.CharField(_("identifier"), max_length=100)
    name = models.CharField(_("name"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"))
    cost = models.DecimalField(_("cost"), max_digits=14, decimal_places=2)
    service_area = models.CharField(_("responsible service area"), max_length=200)
    # 1 is the highest priority; the selection rule's bonus or tie-break reads it.
    priority = models.PositiveSmallIntegerField(_("priority"))
    is_prioritised = models.BooleanField(_("prioritised for the coming year"), default=False)
    # Demo projects that illustrate the feature; pages label them as examples.
    is_example = models.BooleanField(_("example"), default=False)

    class Meta:
        ordering = ["suburb", "year", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["external_id"], name="investment_project_unique_id"),
            models.CheckConstraint(
                condition=models.Q(cost__gte=0), name="investment_project_cost_not_negative"
            ),
        ]
        verbose_name = _("investment project")
        verbose_name_plural = _("investment projects")

    def __str__(self) -> str:
        return self.name


class ImportJob(models.Model):
    """An import started from the staff pages and run as a background task.

    The status page reads `processed_rows` of `total_rows` while the task runs; `errors` lists
    row-numbered messages and `summary` the counts of a finished run.
    """

    class Kind(models.TextChoices):
        PAAVO_CSV = "paavo_csv", _("Paavo CSV")
        PAAVO_GEOJSON = "paavo_geojson", _("Paavo WFS GeoJSON")
        SOTKANET = "sotkanet", _("THL Sotkanet rows")
        CITY_CSV = "city_csv", _("city's own data (long CSV)")
        INVESTMENTS = "investments", _("investment programme CSV")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    dry_run = models.BooleanField(_("dry run"), default=False)
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("processed rows"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind} {self.created_at:%Y-%m-%d %H:%M}"
