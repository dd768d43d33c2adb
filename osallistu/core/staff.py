"""The staff home page: one list of the tools a staff member may use.

Each feature registers its city-wide tools in CITY_TOOLS and its per-process tools in
PROCESS_TOOLS. The page shows a tool only to users whom `rules.can` allows its action, so the
page and the tool's own view agree on who may use it.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from osallistu.accounts.models import RoleAssignment
from osallistu.participation import rules
from osallistu.participation.models import Process
from osallistu.participation.rules import Action


@dataclass(frozen=True)
class StaffTool:
    """A staff page: its URL name, title, one-line description and the action it needs."""

    url_name: str
    title: str
    description: str
    action: str
    # Process kinds the tool serves; empty means every kind. Only per-process tools use it.
    process_kinds: tuple[str, ...] = ()


CITY_TOOLS: tuple[StaffTool, ...] = (
    StaffTool(
        "moderation:queue",
        _("Moderation queue"),
        _("Handle reports and approve pre-moderated content."),
        Action.MODERATE,
    ),
    StaffTool(
        "accessibility:staff_feedback",
        _("Accessibility feedback"),
        _("Answer accessibility feedback within 14 days."),
        Action.ANSWER_FEEDBACK,
    ),
    StaffTool(
        "privacy:notice_list",
        _("Privacy notices"),
        _("Edit the privacy notice of each processing in Finnish, Swedish and English."),
        Action.MANAGE_PRIVACY,
    ),
    StaffTool(
        "areas:staff_overview",
        _("Area data"),
        _("Import welfare data and the investment programme; map suburbs to postal areas."),
        Action.MANAGE_AREA_DATA,
    ),
    StaffTool(
        "feedback:staff_sources",
        _("Feedback data"),
        _("Fetch feedback requests over Open311 or import them from CSV; check flagged ones."),
        Action.MANAGE_FEEDBACK_DATA,
    ),
    StaffTool(
        "selection:round_list",
        _("Area selection"),
        _("Configure the need index, compute the year's round and record the board's decision."),
        Action.MANAGE_SELECTION,
    ),
    StaffTool(
        "programmes:staff_overview",
        _("Suburb programmes"),
        _("Set shared goals and their measures, key actions and project packages."),
        Action.MANAGE_PROGRAMME,
    ),
    StaffTool(
        "implementation:staff_list",
        _("Implementation tracking"),
        _("Update the status, schedule and costs of packages and funded proposals."),
        Action.UPDATE_IMPLEMENTATION,
    ),
    StaffTool(
        "communications:index",
        _("Communications"),
        _("Print posters and flyers, send newsletters and log the channels used."),
        Action.MANAGE_PROGRAMME,
    ),
    StaffTool(
        "surveys:staff_rounds",
        _("Surveys"),
        _("Run the participation indicator and workshop feedback; enter paper forms."),
        Action.MANAGE_SURVEYS,
    ),
    StaffTool(
        "reports:index",
        _("Evaluation reports"),
        _("Yearly report per suburb and the city-level summary, as a page, PDF or CSV."),
        Action.VIEW_STATISTICS,
    ),
    StaffTool(
        "audit:event_list",
        _("Audit log"),
        _("Search and export every change made by staff."),
        Action.VIEW_AUDIT_LOG,
    ),
)

# Tools whose URL takes the process's primary key as `process_id`.
PROCESS_TOOLS: tuple[StaffTool, ...] = (
    StaffTool(
        "evaluation:dashboard_by_id",
        _("Expert evaluation"),
        _("Assign ideas, give verdicts and publish the public answers."),
        Action.EVALUATE,
        (Process.Kind.PARTICIPATORY_BUDGETING,),
    ),
    StaffTool(
        url_name="budgeting:results_publish",
        title=_("Publish the results"),
        description=_("Check the counted votes and publish the results after voting closes."),
        action=Action.PUBLISH_RESULTS,
        process_kinds=(Process.Kind.PARTICIPATORY_BUDGETING,),
    ),
    StaffTool(
        "desk:check",
        _("Service desk"),
        _("Check identity documents; enter assisted and paper ballots."),
        Action.ASSIST_VOTING,
        (Process.Kind.PARTICIPATORY_BUDGETING,),
    ),
)


def is_staff_member(user) -> bool:
    """Return True if `user` is a superuser or holds any staff role."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or RoleAssignment.objects.filter(user=user).exists()


@require_safe
@login_required
def staff_home(request):
    """Show the city-wide tools and, per process, the process tools the user may use."""
    user = request.user
    if not is_staff_member(user):
        raise PermissionDenied
    city_tools = [
        (tool, reverse(tool.url_name)) for tool in CITY_TOOLS if rules.can(user, tool.action)
    ]
    processes = []
    if PROCESS_TOOLS:
        for process in Process.objects.prefetch_related("suburbs").order_by("-created_at"):
            tools = [
                (tool, reverse(tool.url_name, kwargs={"process_id": process.pk}))
                for tool in PROCESS_TOOLS
                if (not tool.process_kinds or process.kind in tool.process_kinds)
                and rules.can(user, tool.action, process)
            ]
            if tools:
                processes.append((process, tools))
    return render(
        request, "core/staff_home.html", {"city_tools": city_tools, "processes": processes}
    )
