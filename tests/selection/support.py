"""Helpers of the selection round tests: a full round and a re-import of changed Paavo data."""

import csv
import datetime
import io

from osallistu.areas import services as area_services
from osallistu.areas.models import Suburb
from osallistu.selection import services
from osallistu.selection.models import SelectionRound

DECISION_DATE = datetime.date(2026, 3, 10)


def computed_round(user, configuration, *, year: int = 2026, **rule) -> SelectionRound:
    """Create and compute a draft round with the top-two rule unless `rule` says otherwise."""
    selection_round = services.round_create(
        user=user,
        year=year,
        configuration=configuration,
        rule=rule.pop("rule", SelectionRound.Rule.TOP_N),
        **rule,
    )
    return services.round_compute(user=user, selection_round=selection_round)


def decided_round(user, configuration, *, year: int = 2026) -> SelectionRound:
    """Compute, propose and decide a round that chooses the two suburbs the rule selected."""
    selection_round = computed_round(user, configuration, year=year)
    selection_round = services.round_propose(
        user=user, selection_round=selection_round, proposal_text="Esitys lautakunnalle."
    )
    suburbs = list(Suburb.objects.filter(slug__in=selection_round.result["selected"]))
    return services.round_decision_record(
        user=user,
        selection_round=selection_round,
        decision_date=DECISION_DATE,
        minutes_reference="Pöytäkirja 10.3.2026 § 42",
        suburbs=suburbs,
    )


def reimport_changed_paavo(postal_code: str, changes: dict[str, str]) -> None:
    """Re-import the shipped Paavo file with the values of one postal area changed."""
    with open(area_services.KUOPIO_PAAVO_FILE, encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    for row in rows:
        if row["postinumeroalue"] == postal_code:
            row.update(changes)
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    area_services.paavo_import(
        output.getvalue().encode("utf-8"),
        statistics_year=area_services.KUOPIO_PAAVO_STATISTICS_YEAR,
        release_year=area_services.KUOPIO_PAAVO_RELEASE_YEAR,
        municipality_code=area_services.KUOPIO_MUNICIPALITY_CODE,
        municipality_name=area_services.KUOPIO_MUNICIPALITY_NAME,
    )


# Neulamäki's (70150) need-raising counts set to 0, so that it falls down the ranking.
NEULAMAKI_WITHOUT_NEED = {
    "pt_tyott": "0",
    "ko_perus": "0",
    "hr_pi_tul": "0",
    "te_vuok_as": "0",
    "te_yks": "0",
}
