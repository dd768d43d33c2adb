from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from osallistu.areas.models import Suburb

from . import exports, selectors

# Years outside this range are mistyped addresses, not reports.
FIRST_YEAR = 2000


def _year_or_404(year: int) -> int:
    if not FIRST_YEAR <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


@require_safe
def index(request):
    """Show the list of report years, or go to the only one."""
    years = selectors.report_years()
    if len(years) == 1:
        return redirect("reports:city", year=years[0])
    return render(request, "reports/index.html", {"years": years})


@require_safe
def city(request, year: int):
    """Show the city-level summary of every suburb active in `year`."""
    reports = selectors.city_summary(_year_or_404(year))
    return render(
        request,
        "reports/city.html",
        {"year": year, "reports": reports, "language": get_language()},
    )


@require_safe
def city_csv(request, year: int):
    """Return the city-level summary as CSV, one row per suburb."""
    reports = selectors.city_summary(_year_or_404(year))
    response = HttpResponse(
        exports.csv_text(exports.city_rows(reports)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="osallisuusraportti-{year}.csv"'
    return response


@require_safe
def city_pdf(request, year: int):
    """Return the city-level summary as a tagged PDF."""
    reports = selectors.city_summary(_year_or_404(year))
    context = {"year": year, "reports": reports, "language": get_language()}
    response = HttpResponse(
        exports.render_pdf("reports/city_print.html", context, request),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="osallisuusraportti-{year}.pdf"'
    return response


def _suburb_report(year: int, slug: str):
    suburb = get_object_or_404(Suburb, slug=slug)
    return selectors.suburb_report(suburb, _year_or_404(year))


@require_safe
def suburb(request, year: int, slug: str):
    """Show the yearly report of one suburb."""
    report = _suburb_report(year, slug)
    return render(request, "reports/suburb.html", {"report": report, "language": get_language()})


@require_safe
def suburb_csv(request, year: int, slug: str):
    """Return the suburb's yearly report as CSV, one row per figure."""
    report = _suburb_report(year, slug)
    response = HttpResponse(
        exports.csv_text(exports.suburb_rows(report)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="raportti-{slug}-{year}.csv"'
    return response


@require_safe
def suburb_pdf(request, year: int, slug: str):
    """Return the suburb's yearly report as a tagged PDF."""
    report = _suburb_report(year, slug)
    context = {"report": report, "language": get_language()}
    response = HttpResponse(
        exports.render_pdf("reports/suburb_print.html", context, request),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'inline; filename="raportti-{slug}-{year}.pdf"'
    return response
