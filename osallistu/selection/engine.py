"""The bridge between selection rounds and the need-index engine.

The engine (need_index, sensitivity, selection_rule, inputs) computes; this module turns its
inputs and results into the JSON that a round freezes, and back. Pages and the proposal document
read only that JSON, so a decided round shows the same figures however the data change later.

The stored result has this shape:

    {"statistics_year": int | None, "seed": int, "draws": int,
     "normalisation": str, "min_population": int, "configuration": {...}, "rule": {...},
     "levels": {"suburb": [row, ...], "postal_area": [row, ...]},
     "selected": [suburb code, ...], "selection": [...], "dropped_indicators": {...},
     "sensitivity": {"seed", "draws", "scenario_counts", "weight_change"}}

and each row:

    {"code", "name", "population", "index", "rank", "rank_low", "rank_high",
     "selection_frequency", "flags": [code, ...], "small_area": bool,
     "domains": {domain code: score or None}, "missing_indicators": [code, ...],
     "left_out": [{"domain": code, "missing": int, "total": int}],
     "prioritised_investments": bool}

This is `sensitivity.Analysis.to_dict()`; see docs/need-index.md for the method.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from osallistu.areas.models import InvestmentProject

SUBURB = "suburb"
POSTAL_AREA = "postal_area"
LEVELS = (SUBURB, POSTAL_AREA)


def validate_configuration(configuration: dict) -> None:
    """Raise ValidationError, in the active language, unless the engine accepts `configuration`."""
    from . import need_index

    try:
        need_index.IndexConfiguration.from_dict(configuration)
    except need_index.ConfigurationError as error:
        raise ValidationError(_configuration_message(error), code="configuration") from error


def _configuration_message(error) -> str:
    # The engine's messages are English msgids with named parameters.
    message = getattr(error, "message", None) or str(error)
    params = getattr(error, "params", None) or {}
    translated = _(message)
    try:
        return translated % params if params else translated
    except (KeyError, TypeError, ValueError):
        return translated


def rule_of(selection_round) -> dict:
    """Return the round's selection rule as the engine's `SelectionRule.to_dict()`."""
    return {
        "method": selection_round.rule,
        "count": selection_round.top_n,
        "threshold": selection_round.threshold,
        "investments": selection_round.investment_handling,
        "bonus": selection_round.investment_bonus,
    }


def snapshot_inputs(configuration: dict, *, statistics_year: int | None, year: int) -> dict:
    """Return every input value the round uses, as JSON, read from the database now.

    The snapshot contains the engine's index input with each area's numerators, denominators and
    statuses, the best priority of each suburb's investments prioritised for `year`, and each
    suburb's investment projects, so that the proposal lists them as they were. Raise
    ValidationError when the statistics year has no data.
    """
    from . import inputs, need_index

    try:
        index_input = inputs.index_input(
            statistics_year,
            configuration=need_index.IndexConfiguration.from_dict(configuration),
        )
    except inputs.NoDataError as error:
        raise ValidationError(
            _("There are no indicator values for the statistics year %(year)s.")
            % {"year": statistics_year or "–"},
            code="no_data",
        ) from error
    except ValueError as error:
        raise ValidationError(
            _("The configuration names indicators that have no data: %(error)s") % {"error": error},
            code="unknown_indicator",
        ) from error
    return {
        "statistics_year": index_input.statistics_year,
        "index_input": index_input.to_dict(),
        "priorities": inputs.prioritised_suburbs(year),
        "investments": investments_snapshot(),
    }


def investments_snapshot() -> dict[str, list[dict]]:
    """Return the investment projects by suburb code, in year and priority order."""
    projects: dict[str, list[dict]] = {}
    for project in InvestmentProject.objects.select_related("suburb").order_by(
        "suburb__slug", "year", "priority", "name"
    ):
        projects.setdefault(project.suburb.slug, []).append(
            {
                "external_id": project.external_id,
                "name": project.name,
                "year": project.year,
                "cost": str(project.cost),
                "service_area": project.service_area,
                "priority": project.priority,
                "is_prioritised": project.is_prioritised,
            }
        )
    return projects


def compute_result(snapshot: dict, configuration: dict, rule: dict, *, seed: int) -> dict:
    """Compute the index, sensitivity and selection from a snapshot; return the stored JSON.

    Reads nothing from the database: the same snapshot, configuration, rule and seed give the
    same result.
    """
    from . import inputs, need_index, selection_rule, sensitivity

    analysis = sensitivity.analyse(
        inputs.IndexInput.from_dict(snapshot["index_input"]),
        need_index.IndexConfiguration.from_dict(configuration),
        selection_rule.SelectionRule.from_dict(rule),
        prioritised=snapshot.get("priorities") or {},
        seed=seed,
    )
    result = analysis.to_dict()
    if result.get("statistics_year") is None:
        # The configuration names no year, so the input took the newest; record which.
        result["statistics_year"] = snapshot.get("statistics_year")
    return result


def rows(result: dict, level: str) -> list[dict]:
    """Return the stored rows of one level, in rank order with unranked areas last."""
    return sorted(
        result.get("levels", {}).get(level, []),
        key=lambda row: (row.get("rank") is None, row.get("rank") or 0, row.get("name", "")),
    )


def ranked_codes(result: dict, level: str) -> set[str]:
    """Return the codes of the areas that have a rank at `level`."""
    return {row["code"] for row in rows(result, level) if row.get("rank") is not None}


def default_configuration() -> dict:
    """Return the engine's default configuration as a stored dictionary."""
    from .need_index import default_configuration as engine_default

    return engine_default().to_dict()
