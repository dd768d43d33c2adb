"""Write proposals and results in the layout of Decidim's open data CSV files.

The proposal columns follow the keys of `Decidim::Proposals::ProposalSerializer#serialize`,
without `endorsements/user_endorsements`, which names people. The result columns are the
header of Decidim's accountability results export, plus `budget`.

Decidim flattens nested keys with "/" (`title/fi`) and separates fields with ";". Our content
is Finnish, so the text goes in the `/fi` columns and the `/sv` and `/en` columns stay empty.
No column names a person: authors, emails and locations that residents typed stay empty.
"""

import csv
import io

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from osallistu.budgeting.results import process_results, results_are_public
from osallistu.participation.models import Idea, Process

from . import selectors

LANGUAGES = ("fi", "sv", "en")


def _localised(key: str) -> list[str]:
    return [f"{key}/{language}" for language in LANGUAGES]


PROPOSAL_COLUMNS = [
    "id",
    "category/id",
    *_localised("category/name"),
    "scope/id",
    *_localised("scope/name"),
    "participatory_space/id",
    "participatory_space/url",
    "component/id",
    *_localised("title"),
    *_localised("body"),
    "address",
    "latitude",
    "longitude",
    "state",
    "reference",
    *_localised("answer"),
    "supports",
    "endorsements/total_count",
    "comments",
    "attachments",
    "followers",
    "published_at",
    "url",
    "meeting_urls",
    "related_proposals",
    "is_amend",
    "original_proposal/title",
    "original_proposal/url",
]

# The header of Decidim's accountability results export, plus "budget" for the project's cost.
RESULT_COLUMNS = [
    "id",
    "category/id",
    *_localised("category/name"),
    "scope/id",
    *_localised("scope/name"),
    "parent/id",
    *_localised("title"),
    *_localised("description"),
    "start_date",
    "end_date",
    "status/id",
    "status/key",
    *_localised("status/name"),
    "progress",
    "created_at",
    "url",
    "component/id",
    "proposal_urls",
    "budget",
]

# Decidim's proposal state for each idea status. A published idea has no state yet.
PROPOSAL_STATES = {
    Idea.Status.PUBLISHED: "",
    Idea.Status.ACCEPTED: "accepted",
    Idea.Status.DECLINED: "rejected",
    Idea.Status.WITHDRAWN: "withdrawn",
}

RESULT_STATUSES = {True: ("1", "selected"), False: ("2", "not_selected")}


def _write(columns: list[str], rows) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=columns, delimiter=";", lineterminator="\r\n", restval=""
    )
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def proposals_csv(process: Process, base_url: str = "") -> str:
    """Return the process's published ideas as a Decidim proposals CSV, without author data."""
    space_url = base_url + reverse("participation:process_detail", args=[process.slug])
    rows = []
    for idea in selectors.proposals_for_export(process):
        path = reverse("participation:idea_detail", args=[process.slug, idea.pk])
        rows.append(
            {
                "id": idea.pk,
                "category/id": idea.theme.pk if idea.theme else "",
                "category/name/fi": idea.theme.title if idea.theme else "",
                "scope/id": idea.suburb.slug if idea.suburb else "",
                "scope/name/fi": idea.suburb.name if idea.suburb else "",
                "participatory_space/id": process.pk,
                "participatory_space/url": space_url,
                "title/fi": idea.title,
                "body/fi": idea.description,
                "state": PROPOSAL_STATES.get(idea.status, ""),
                "reference": f"osallistu-idea-{idea.pk}",
                "comments": idea.visible_comments,
                "published_at": idea.created_at.isoformat(),
                "url": base_url + path,
                "is_amend": "false",
            }
        )
    return _write(PROPOSAL_COLUMNS, rows)


def results_csv(process: Process, base_url: str = "") -> str:
    """Return the process's budget proposals and whether each won, as a Decidim results CSV.

    Raise ValueError unless the results are published: counts must not leak before that.
    """
    if not results_are_public(process):
        raise ValueError("results are not published")
    path = reverse("participation:process_detail", args=[process.slug])
    rows = []
    with translation.override("fi"):
        names = {True: _("selected"), False: _("not selected")}
    for area in process_results(process):
        for row in area.rows:
            status_id, status_key = RESULT_STATUSES[row.won]
            rows.append(
                {
                    "id": row.project.external_id,
                    "scope/id": area.area.slug,
                    "scope/name/fi": area.area.name,
                    "title/fi": row.project.title,
                    "description/fi": row.project.description,
                    "status/id": status_id,
                    "status/key": status_key,
                    "status/name/fi": names[row.won],
                    "url": base_url + path,
                    "budget": row.project.cost,
                }
            )
    return _write(RESULT_COLUMNS, rows)
