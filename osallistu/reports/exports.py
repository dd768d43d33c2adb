"""The yearly report as CSV (one row per figure) and as a tagged PDF."""

import csv
import io

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from .selectors import SuburbReport

SUBURB_COLUMNS = ("section", "measure", "group", "value", "population", "share_percent")
CITY_COLUMNS = (
    "suburb",
    "population",
    "processes",
    "contributions",
    "ideas",
    "ballots",
    "inclusion_change",
    "goals_measured",
    "goals_on_track",
    "implementation_items",
    "implementation_done",
    "implementation_mean_progress",
    "feedback_requests",
)


def _text(value) -> str:
    return "" if value is None else str(value)


def suburb_rows(report: SuburbReport) -> list[list[str]]:
    """Return the report's figures as rows of SUBURB_COLUMNS, in the page's order.

    Section and measure are stable English codes so that spreadsheets can pick rows; `group` is
    the channel, age group, area, time point, goal, status, service or communication channel.
    """
    rows: list[list[str]] = [list(SUBURB_COLUMNS)]
    rows.append(["population", "residents", "", _text(report.population), "", ""])
    for channel_row in report.channel_rows:
        for (code, _label), count in zip(report.channels, channel_row.counts, strict=True):
            rows.append(["participation", channel_row.label, code, str(count), "", ""])
    for age_row in report.age_rows:
        rows.append(
            [
                "participants_by_age",
                "event_participants",
                age_row.key,
                str(age_row.participants),
                _text(age_row.population),
                _text(age_row.participant_share),
            ]
        )
    rows.append(["ideas", "ideas", "", str(report.ideas), "", ""])
    for area_turnout in report.turnout:
        for row in area_turnout.rows:
            rows.append(
                [
                    "turnout",
                    area_turnout.area.process.slug,
                    f"{area_turnout.area.slug}:{row.age_group}",
                    str(row.voters),
                    _text(row.population),
                    _text(row.turnout),
                ]
            )
    for result in report.inclusion:
        rows.append(
            [
                "inclusion_survey",
                "mean_score",
                result.round.measured_on.isoformat(),
                "" if result.suppressed else _text(result.mean),
                str(result.n),
                "",
            ]
        )
    rows.append(["inclusion_survey", "change", "", _text(report.inclusion_change), "", ""])
    for goal in report.goals:
        rows.append(
            [
                "goal",
                goal.goal.title,
                goal.kind,
                _text(goal.current),
                f"baseline={_text(goal.baseline)};target={_text(goal.target)}",
                "",
            ]
        )
    for label, count in report.implementation.by_status:
        rows.append(["implementation", "items", label, str(count), "", ""])
    rows.append(
        [
            "implementation",
            "mean_progress",
            "",
            _text(report.implementation.mean_progress),
            "",
            "",
        ]
    )
    rows.append(["implementation", "budget", "", str(report.implementation.budget), "", ""])
    rows.append(
        ["implementation", "actual_cost", "", str(report.implementation.actual_cost), "", ""]
    )
    for service in report.feedback:
        rows.append(["feedback", "requests", service.name, str(service.count), "", ""])
    for use in report.channels_used:
        rows.append(
            [
                "communication",
                "uses",
                use["channel"].code,
                str(use["uses"]),
                _text(use["reach"]),
                "",
            ]
        )
    return rows


def city_rows(reports: list[SuburbReport]) -> list[list[str]]:
    """Return one row of CITY_COLUMNS per suburb report."""
    rows: list[list[str]] = [list(CITY_COLUMNS)]
    for report in reports:
        rows.append(
            [
                report.suburb.name,
                _text(report.population),
                str(len(report.processes)),
                str(report.participants_total),
                str(report.ideas),
                str(report.ballots),
                _text(report.inclusion_change),
                str(report.goals_measured),
                str(report.goals_on_track),
                str(len(report.implementation.items)),
                str(report.implementation.done),
                _text(report.implementation.mean_progress),
                str(report.feedback_total),
            ]
        )
    return rows


def csv_text(rows: list[list[str]]) -> str:
    """Return `rows` as CSV text, guarding cells that a spreadsheet would run as formulas."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(
            ["'" + cell if cell[:1] in ("=", "+", "@", "\t", "\r") else cell for cell in row]
        )
    return buffer.getvalue()


def render_pdf(template: str, context: dict, request) -> bytes:
    """Render `template` for print and return it as a tagged PDF/UA-1 document."""
    from weasyprint import CSS, HTML

    html = render_to_string(template, {**context, "for_pdf": True}, request=request)
    # The stylesheet is read from disk: fetching its URL would make the server request itself.
    stylesheet = CSS(filename=finders.find("reports/report.css"))
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf(
        stylesheets=[stylesheet], pdf_variant="pdf/ua-1"
    )
