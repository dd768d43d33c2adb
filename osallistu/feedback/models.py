"""Feedback requests (palautteet) from the city's feedback service, placed in postal areas.

Only what the situational picture counts is stored: the service, the time, the status and the
location. The free-text description, status notes, media and contact details are never stored,
because residents write names, phone numbers and addresses into them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from osallistu.areas.models import PostalArea

# Open311 services commonly cap GET /requests; Toronto documents 1000 rows per call.
# NOTE: 200 is a cautious default, not a documented limit of Kuopio's or Helsinki's service.
DEFAULT_MAX_COUNT = 200


class FeedbackSourceConfig(models.Model):
    """A feedback service to read requests from: an Open311 GeoReport v2 endpoint or CSV files."""

    class Kind(models.TextChoices):
        OPEN311 = "open311", _("Open311 GeoReport v2 interface")
        CSV = "csv", _("CSV file import")

    class Format(models.TextChoices):
        JSON = "json", "JSON"
        XML = "xml", "XML"

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(
        _("identifier"),
        unique=True,
        help_text=_("Short name used by the fetch_feedback and import_feedback_csv commands."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OPEN311)
    endpoint_url = models.URLField(
        _("interface address"),
        blank=True,
        help_text=_(
            "The GeoReport v2 base address, such as https://palaute.example.fi/open311/v1. "
            "Its host must be on the list of allowed data sources."
        ),
    )
    response_format = models.CharField(
        _("response format"), max_length=4, choices=Format.choices, default=Format.JSON
    )
    jurisdiction_id = models.CharField(_("jurisdiction id"), max_length=100, blank=True)
    # Sent as api_key only when set. Reading requests needs no key in most services.
    api_key = models.CharField(_("API key"), max_length=200, blank=True)
    locale = models.CharField(
        _("locale"), max_length=10, blank=True, help_text=_("For example fi_FI. Optional.")
    )
    max_count = models.PositiveIntegerField(
        _("maximum number of requests per call"),
        default=DEFAULT_MAX_COUNT,
        help_text=_(
            "The most requests the service returns for one call. A time window that returns "
            "this many is split in half and fetched again."
        ),
    )
    use_extensions = models.BooleanField(
        _("ask for extensions"),
        default=False,
        help_text=_("Send extensions=true to read the detailed status of each request."),
    )
    is_example = models.BooleanField(_("example"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("feedback source")
        verbose_name_plural = _("feedback sources")

    def __str__(self) -> str:
        return self.name

    @property
    def is_open311(self) -> bool:
        return self.kind == self.Kind.OPEN311


class FeedbackService(models.Model):
    """A service (feedback category) of one source, such as potholes or litter."""

    source = models.ForeignKey(
        FeedbackSourceConfig, on_delete=models.CASCADE, related_name="services"
    )
    code = models.CharField(_("service code"), max_length=100)
    # Empty when the source sends no name; pages show "(no service name)" instead.
    name = models.CharField(_("service name"), max_length=300, blank=True)
    group = models.CharField(_("group"), max_length=300, blank=True)

    class Meta:
        ordering = ["source", "name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["source", "code"], name="feedback_service_unique_code")
        ]
        verbose_name = _("feedback service category")
        verbose_name_plural = _("feedback service categories")

    def __str__(self) -> str:
        return self.name or self.code


class FeedbackRequest(models.Model):
    """One feedback request, without its text: service, time, status and place.

    The suburb is not stored: a request counts in every suburb whose postal areas contain its
    postal area, so a change to the suburb mapping changes the counts without a new import.
    """

    class Placement(models.TextChoices):
        POLYGON = "polygon", _("coordinates inside a postal area")
        POSTAL_CODE = "postal_code", _("postal code")
        NONE = "none", _("not placed")

    source = models.ForeignKey(
        FeedbackSourceConfig, on_delete=models.CASCADE, related_name="requests"
    )
    service_request_id = models.CharField(_("request id"), max_length=200)
    service = models.ForeignKey(FeedbackService, on_delete=models.RESTRICT, related_name="requests")
    requested_at = models.DateTimeField(_("requested at"))
    status = models.CharField(_("status"), max_length=40, blank=True)
    # The extended attribute detailed_status, when the source sends extensions.
    detailed_status = models.CharField(_("detailed status"), max_length=100, blank=True)
    # WGS84 degrees after any swap was corrected; None when the source sent no usable pair.
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=5, blank=True)
    postal_area = models.ForeignKey(
        PostalArea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="feedback_requests",
    )
    placement = models.CharField(
        _("placement"), max_length=12, choices=Placement.choices, default=Placement.NONE
    )
    swapped_coordinates = models.BooleanField(_("latitude and longitude swapped"), default=False)
    outside_city = models.BooleanField(_("outside the city"), default=False)
    is_example = models.BooleanField(_("example"), default=False)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "service_request_id"], name="feedback_request_unique_id"
            )
        ]
        indexes = [models.Index(fields=["postal_area", "requested_at"])]
        verbose_name = _("feedback request")
        verbose_name_plural = _("feedback requests")

    def __str__(self) -> str:
        return f"{self.source.slug}:{self.service_request_id}"


class FeedbackFetch(models.Model):
    """One fetch or import of a source: who started it, the window and what it changed."""

    class Status(models.TextChoices):
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    source = models.ForeignKey(
        FeedbackSourceConfig, on_delete=models.CASCADE, related_name="fetches"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    since = models.DateField(_("from"), null=True, blank=True)
    until = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    call_count = models.PositiveIntegerField(_("calls"), default=0)
    # [start, end] ISO timestamps of windows that still returned the maximum count at 1 day.
    truncated_windows = models.JSONField(default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("feedback fetch")
        verbose_name_plural = _("feedback fetches")

    def __str__(self) -> str:
        return f"{self.source} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_truncated(self) -> bool:
        return bool(self.truncated_windows)
