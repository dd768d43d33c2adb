"""The read-only open data API, version 1, described by OpenAPI at /api/v1/openapi.json.

Every endpoint is public and read-only. Versioning is in the path: a change that removes or
renames a field needs /api/v2/, while adding a field keeps v1.
"""

import datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status as ResponseStatus

from osallistu.areas.models import Indicator
from osallistu.budgeting import results
from osallistu.budgeting.counting import money
from osallistu.participation.models import Process

from . import selectors

LICENCE = "CC BY 4.0"
# Larger offsets would overflow the database's 64-bit integers and could never return rows.
MAX_OFFSET = 10_000_000


class Pagination(LimitOffsetPagination):
    """Limit-offset pages whose offset stays within what an SQL integer can hold."""

    class Input(Schema):
        limit: int = Field(100, ge=1, le=1000)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


class OpenDataAPI(NinjaAPI):
    """The API, with the 422 answer to invalid query parameters documented on every operation.

    django-ninja validates query parameters before the view runs and answers 422 with a list of
    errors, but leaves that answer out of the generated description.
    """

    def get_openapi_schema(self, *args, **kwargs):
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["ValidationErrors"] = {
            "type": "object",
            "properties": {"detail": {"type": "array", "items": {"type": "object"}}},
            "required": ["detail"],
        }
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault(
                    "422",
                    {
                        "description": "Invalid query parameters",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ValidationErrors"}
                            }
                        },
                    },
                )
        return schema


api = OpenDataAPI(
    title="Osallistu open data API",
    version="1.0.0",
    description=str(
        _(
            "Public data of the participation service: areas, welfare indicators, processes, "
            "published ideas and published results. Licence: CC BY 4.0."
        )
    ),
    urls_namespace="opendata-api",
    docs_url="docs/",
)


@api.exception_handler(Http404)
def not_found(request, exc):
    """Return a 404 response with a message in the active language, whether DEBUG is on or off.

    django-ninja's own handler appends the exception's text only when DEBUG is on, which mixes
    its English "Not Found" with a translated message and, from get_object_or_404, shows model
    names. Views that have a message for residents return it themselves.
    """
    detail = str(_("The requested resource was not found."))
    return api.create_response(request, {"detail": detail}, status=404)


class PostalAreaOut(Schema):
    code: str
    name: str
    municipality_code: str
    municipality_name: str


class SuburbOut(Schema):
    slug: str
    name: str
    postal_codes: list[str]

    @staticmethod
    def resolve_postal_codes(suburb) -> list[str]:
        return [area.code for area in suburb.postal_areas.all()]


class IndicatorOut(Schema):
    code: str
    domain: str | None
    name_fi: str
    name_sv: str
    name_en: str
    unit: str
    direction: str
    formula: str
    source: str
    licence: str
    statistics_year: int | None

    @staticmethod
    def resolve_domain(indicator) -> str | None:
        return indicator.domain.code if indicator.domain else None


class IndicatorValueOut(Schema):
    area_kind: str
    area: str
    statistics_year: int
    value: float | None
    numerator: float | None
    denominator: float | None
    status: str
    breakdown: str

    @staticmethod
    def resolve_area_kind(value) -> str:
        if value.postal_area_id:
            return "postal_area"
        if value.suburb_id:
            return "suburb"
        return "municipality"

    @staticmethod
    def resolve_area(value) -> str:
        if value.postal_area_id:
            return value.postal_area.code
        if value.suburb_id:
            return value.suburb.slug
        return value.municipality_code


class PhaseOut(Schema):
    kind: str
    starts_on: datetime.date
    ends_on: datetime.date


class ProcessOut(Schema):
    slug: str
    title: str
    kind: str
    description: str
    suburbs: list[str]
    phases: list[PhaseOut]
    results_published: bool

    @staticmethod
    def resolve_suburbs(process) -> list[str]:
        return [suburb.slug for suburb in process.suburbs.all()]


class IdeaOut(Schema):
    id: int
    title: str
    description: str
    status: str
    suburb: str | None
    theme: str | None
    created_on: datetime.date

    @staticmethod
    def resolve_suburb(idea) -> str | None:
        return idea.suburb.slug if idea.suburb_id else None

    @staticmethod
    def resolve_theme(idea) -> str | None:
        return idea.theme.title if idea.theme_id else None

    @staticmethod
    def resolve_created_on(idea) -> datetime.date:
        return idea.created_at.date()


class ErrorOut(Schema):
    detail: str


@api.get("/postal-areas/", response=list[PostalAreaOut], tags=["areas"])
@paginate(Pagination)
def postal_area_list(request):
    """List Paavo postal areas."""
    return selectors.postal_areas()


@api.get("/suburbs/", response=list[SuburbOut], tags=["areas"])
@paginate(Pagination)
def suburb_list(request):
    """List suburbs with the postal areas that form them."""
    return selectors.suburbs()


@api.get("/indicators/", response=list[IndicatorOut], tags=["indicators"])
@paginate(Pagination)
def indicator_list(request):
    """List indicators with their metadata."""
    return selectors.indicators()


@api.get(
    "/indicators/{code}/values/",
    response={200: list[IndicatorValueOut], 404: ErrorOut},
    tags=["indicators"],
)
@paginate(Pagination)
def indicator_value_list(request, code: str, year: int | None = None):
    """List an indicator's values per area and statistics year; suppressed values are null."""
    indicator = get_object_or_404(Indicator, code=code)
    return selectors.indicator_values(indicator, year=year)


@api.get("/processes/", response=list[ProcessOut], tags=["processes"])
@paginate(Pagination)
def process_list(request):
    """List participation processes with their phases."""
    return selectors.processes()


@api.get("/processes/{slug}/", response={200: ProcessOut, 404: ErrorOut}, tags=["processes"])
def process_detail(request, slug: str):
    """Return one process with its phases."""
    process = selectors.processes().filter(slug=slug).first()
    if process is None:
        raise Http404
    return process


@api.get(
    "/processes/{slug}/ideas/", response={200: list[IdeaOut], 404: ErrorOut}, tags=["processes"]
)
@paginate(Pagination)
def idea_list(request, slug: str):
    """List the process's published ideas, without anything that identifies their authors."""
    process = get_object_or_404(Process, slug=slug)
    return selectors.published_ideas(process)


class ProjectResultOut(Schema):
    id: str
    title: str
    cost: str
    votes: int
    status: str
    reason: str


class AreaResultOut(Schema):
    slug: str
    name: str
    budget: str
    currency: str
    rule: str
    ballots: int
    winners: list[str]
    projects: list[ProjectResultOut]


@api.get(
    "/processes/{slug}/results/",
    response={200: list[AreaResultOut], 404: ErrorOut},
    tags=["processes"],
)
def result_list(request, slug: str):
    """Return per area the winners and every project's votes; 404 until results are published."""
    try:
        process = results.published_process_or_404(slug)
    except Http404 as error:
        return ResponseStatus(404, {"detail": str(error)})
    return [
        {
            "slug": result.area.slug,
            "name": result.area.name,
            "budget": money(result.area.budget),
            "currency": result.area.currency,
            "rule": result.outcome.rule,
            "ballots": result.ballot_count,
            "winners": [project.external_id for project in result.winners],
            "projects": [
                {
                    "id": row.project.external_id,
                    "title": row.project.title,
                    "cost": money(row.project.cost),
                    "votes": row.result.votes,
                    "status": row.result.status,
                    "reason": row.result.reason,
                }
                for row in result.rows
            ],
        }
        for result in results.process_results(process)
    ]


# --- Implementation ---------------------------------------------------------------------------

from osallistu.implementation import exports as implementation_exports  # noqa: E402
from osallistu.implementation import selectors as implementation_selectors  # noqa: E402
from osallistu.implementation.models import Kind, Status  # noqa: E402


class ImplementationItemOut(Schema):
    id: int
    title: str
    kind: str
    suburb: str | None
    status: str
    progress: int
    budget: str | None
    actual_cost: str | None
    planned_start: datetime.date | None
    planned_end: datetime.date | None
    actual_start: datetime.date | None
    actual_end: datetime.date | None
    service_area: str | None
    longitude: float | None
    latitude: float | None
    updated_on: datetime.date

    # The same values as the CSV export, read from the item that the selector loaded.
    @staticmethod
    def resolve_suburb(item) -> str | None:
        return implementation_exports.item_record(item)["suburb"]

    @staticmethod
    def resolve_budget(item) -> str | None:
        return implementation_exports.item_record(item)["budget"]

    @staticmethod
    def resolve_actual_cost(item) -> str | None:
        return implementation_exports.item_record(item)["actual_cost"]

    @staticmethod
    def resolve_service_area(item) -> str | None:
        return implementation_exports.item_record(item)["service_area"]

    @staticmethod
    def resolve_longitude(item) -> float | None:
        return implementation_exports.item_record(item)["longitude"]

    @staticmethod
    def resolve_latitude(item) -> float | None:
        return implementation_exports.item_record(item)["latitude"]

    @staticmethod
    def resolve_updated_on(item) -> datetime.date:
        return item.updated_at.date()


class MilestoneOut(Schema):
    title: str
    due_on: datetime.date | None
    done_on: datetime.date | None


class ImplementationUpdateOut(Schema):
    published_on: datetime.date
    text: str
    invitation_starts_at: datetime.datetime | None
    invitation_place: str
    invitation_how: str


class ImplementationItemDetailOut(ImplementationItemOut):
    description: str
    milestones: list[MilestoneOut]
    updates: list[ImplementationUpdateOut]

    @staticmethod
    def resolve_milestones(item) -> list:
        return list(item.milestones.all())

    @staticmethod
    def resolve_updates(item) -> list:
        return list(item.updates.all())


@api.get("/implementation/", response=list[ImplementationItemOut], tags=["implementation"])
@paginate(Pagination)
def implementation_list(
    request, suburb: str | None = None, status: Status | None = None, kind: Kind | None = None
):
    """List the public implementation items of project packages and funded proposals."""
    items = implementation_selectors.item_list(status=status or "", kind=kind or "")
    if suburb is not None:
        items = items.filter(suburb__slug=suburb)
    return items


@api.get(
    "/implementation/{item_id}/",
    response={200: ImplementationItemDetailOut, 404: ErrorOut},
    tags=["implementation"],
)
def implementation_detail(request, item_id: int):
    """Return one public item with its milestones and updates, without their authors."""
    item = implementation_selectors.item_detail(item_id) if 0 < item_id < 2**63 else None
    if item is None:
        raise Http404
    return item
