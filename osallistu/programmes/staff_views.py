"""Staff pages of suburb programmes: thin views over the services.

Every page needs Action.MANAGE_PROGRAMME. A rejected form is shown again with what the user
typed and an error beside each field.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.areas.models import Suburb
from osallistu.participation import rules
from osallistu.participation.rules import Action
from osallistu.selection.models import SelectionRound

from . import selectors, services
from .forms import (
    CoDesignForm,
    GoalForm,
    InvestmentChoiceForm,
    KeyActionForm,
    MeasurementForm,
    PackageForm,
    ProgrammeForm,
)
from .models import Goal, GoalMeasurement, KeyAction, Programme, ProjectPackage

GET_OR_POST = ["GET", "HEAD", "POST"]


def _require_manager(request) -> None:
    if not rules.can(request.user, Action.MANAGE_PROGRAMME):
        raise PermissionDenied(_("Only coordinators and administrators may manage programmes."))


def _programme(request, slug: str) -> Programme:
    _require_manager(request)
    return get_object_or_404(Programme.objects.select_related("suburb"), slug=slug)


def _fields(form, names) -> dict:
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


def _form_page(request, form, *, title: str, programme: Programme | None, submit: str, **extra):
    context = {"form": form, "title": title, "programme": programme, "submit": submit, **extra}
    return render(request, "programmes/staff/form.html", context)


def _saved(request, form, save, *, success: str, programme: Programme):
    """Call `save()` for a valid posted form and return a redirect to the programme's page.

    Return None where the form is not posted or is invalid, or where `save()` raises
    ValidationError, whose messages then show on the form beside their fields.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        save()
    except ValidationError as error:
        form.add_error(None, error)
        return None
    messages.success(request, success)
    return redirect("programmes:staff_programme", slug=programme.slug)


def _offset(request) -> int:
    return -1 if request.POST.get("direction") == "up" else 1


# --- Programmes -------------------------------------------------------------------------------


@require_safe
@login_required
def overview(request):
    _require_manager(request)
    return render(
        request,
        "programmes/staff/overview.html",
        {
            "programmes": selectors.programme_list(),
            "chosen": selectors.chosen_without_programme(),
        },
    )


@require_http_methods(GET_OR_POST)
@login_required
def programme_create(request):
    _require_manager(request)
    form = ProgrammeForm(
        request.POST or None,
        creating=True,
        initial={"starts_year": timezone.localdate().year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                user=request.user,
                suburb=form.cleaned_data["suburb"],
                **_fields(form, services.PROGRAMME_FIELDS),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme was created."))
            return redirect("programmes:staff_programme", slug=programme.slug)
    return _form_page(
        request, form, title=_("New programme"), programme=None, submit=_("Create programme")
    )


@require_POST
@login_required
def programme_create_for_chosen(request):
    _require_manager(request)
    selection_round = get_object_or_404(SelectionRound, pk=request.POST.get("selection_round"))
    suburb = get_object_or_404(Suburb, pk=request.POST.get("suburb"))
    try:
        programme = services.programme_create_for_chosen(
            user=request.user, selection_round=selection_round, suburb=suburb
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("programmes:staff_overview")
    messages.success(request, _("The programme was created. Check its title and years."))
    return redirect("programmes:staff_programme", slug=programme.slug)


@require_safe
@login_required
def programme_manage(request, slug: str):
    _require_manager(request)
    try:
        programme = selectors.programme_detail(slug)
    except Programme.DoesNotExist:
        raise Http404(_("No such programme.")) from None
    return render(
        request,
        "programmes/staff/programme.html",
        {
            "programme": programme,
            "progress": selectors.goal_progress(programme),
            "investments_left": selectors.available_investments(programme).exists(),
        },
    )


@require_http_methods(GET_OR_POST)
@login_required
def programme_edit(request, slug: str):
    programme = _programme(request, slug)
    form = ProgrammeForm(request.POST or None, instance=programme, creating=False)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_update(
                user=request.user, programme=programme, **_fields(form, services.PROGRAMME_FIELDS)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("programmes:staff_programme", slug=programme.slug)
    return _form_page(
        request, form, title=_("Edit the programme"), programme=programme, submit=_("Save")
    )


# --- Goals ------------------------------------------------------------------------------------


@require_http_methods(GET_OR_POST)
@login_required
def goal_edit(request, slug: str, pk: int | None = None):
    """Add a goal, or edit one where `pk` is given."""
    programme = _programme(request, slug)
    goal = get_object_or_404(Goal, programme=programme, pk=pk) if pk else None
    form = GoalForm(
        request.POST or None,
        programme=programme,
        **({"instance": goal} if goal else {}),
    )

    def save():
        fields = _fields(form, services.GOAL_FIELDS)
        if goal:
            services.goal_update(user=request.user, goal=goal, **fields)
        else:
            services.goal_create(user=request.user, programme=programme, **fields)

    success = _("The goal was saved.")
    if response := _saved(request, form, save, success=success, programme=programme):
        return response
    return _form_page(
        request,
        form,
        title=_("Edit the goal") if goal else _("New goal"),
        programme=programme,
        submit=_("Save goal"),
    )


@require_POST
@login_required
def goal_move(request, slug: str, pk: int):
    programme = _programme(request, slug)
    goal = get_object_or_404(Goal, programme=programme, pk=pk)
    services.goal_move(user=request.user, goal=goal, offset=_offset(request))
    return redirect("programmes:staff_programme", slug=programme.slug)


@require_http_methods(GET_OR_POST)
@login_required
def goal_measurements(request, slug: str, pk: int):
    """List and enter the yearly readings of a count goal."""
    programme = _programme(request, slug)
    goal = get_object_or_404(Goal, programme=programme, pk=pk)
    form = MeasurementForm(request.POST or None, instance=GoalMeasurement(goal=goal))
    if request.method == "POST" and form.is_valid():
        try:
            services.measurement_save(
                user=request.user, goal=goal, **_fields(form, ("year", "value", "note"))
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reading was saved."))
            return redirect("programmes:staff_goal_measurements", slug=programme.slug, pk=goal.pk)
    return render(
        request,
        "programmes/staff/measurements.html",
        {
            "programme": programme,
            "goal": goal,
            "form": form,
            "measurements": goal.measurements.order_by("year"),
        },
    )


@require_POST
@login_required
def measurement_delete(request, slug: str, pk: int, measurement_pk: int):
    programme = _programme(request, slug)
    measurement = get_object_or_404(
        GoalMeasurement, goal__programme=programme, goal__pk=pk, pk=measurement_pk
    )
    services.measurement_delete(user=request.user, measurement=measurement)
    messages.success(request, _("The reading was deleted."))
    return redirect("programmes:staff_goal_measurements", slug=programme.slug, pk=pk)


# --- Key actions ------------------------------------------------------------------------------


@require_http_methods(GET_OR_POST)
@login_required
def key_action_edit(request, slug: str, pk: int | None = None):
    """Add a key action by hand, or edit one where `pk` is given."""
    programme = _programme(request, slug)
    key_action = get_object_or_404(KeyAction, programme=programme, pk=pk) if pk else None
    form = KeyActionForm(
        request.POST or None,
        programme=programme,
        **({"instance": key_action} if key_action else {}),
    )

    def save():
        fields = _fields(form, ("title", "description", "starts_year"))
        goals = form.cleaned_data["goals"]
        if key_action:
            services.key_action_update(
                user=request.user, key_action=key_action, goals=goals, **fields
            )
        else:
            services.key_action_create(
                user=request.user, programme=programme, goals=goals, **fields
            )

    success = _("The key action was saved.")
    if response := _saved(request, form, save, success=success, programme=programme):
        return response
    return _form_page(
        request,
        form,
        title=_("Edit the key action") if key_action else _("New key action"),
        programme=programme,
        submit=_("Save key action"),
    )


@require_http_methods(GET_OR_POST)
@login_required
def key_actions_from_investments(request, slug: str):
    programme = _programme(request, slug)
    form = InvestmentChoiceForm(
        request.POST or None, investments=selectors.available_investments(programme)
    )
    if request.method == "POST" and form.is_valid():
        try:
            created = services.key_actions_from_investments(
                user=request.user, programme=programme, investments=form.cleaned_data["investments"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s key action was added.",
                    "%(count)s key actions were added.",
                    len(created),
                )
                % {"count": len(created)},
            )
            return redirect("programmes:staff_programme", slug=programme.slug)
    return _form_page(
        request,
        form,
        title=_("Key actions from the investment programme"),
        programme=programme,
        submit=_("Add as key actions"),
        intro=_(
            "Each chosen project becomes a key action that starts in the year the investment "
            "programme schedules it. Only projects of the suburb that are no key action yet "
            "are listed."
        ),
    )


@require_POST
@login_required
def key_action_move(request, slug: str, pk: int):
    programme = _programme(request, slug)
    key_action = get_object_or_404(KeyAction, programme=programme, pk=pk)
    services.key_action_move(user=request.user, key_action=key_action, offset=_offset(request))
    return redirect("programmes:staff_programme", slug=programme.slug)


# --- Project packages -------------------------------------------------------------------------


@require_http_methods(GET_OR_POST)
@login_required
def package_edit(request, slug: str, pk: int | None = None):
    """Create a project package, or edit one where `pk` is given."""
    programme = _programme(request, slug)
    package = get_object_or_404(ProjectPackage, programme=programme, pk=pk) if pk else None
    form = PackageForm(
        request.POST or None,
        programme=programme,
        **({"instance": package} if package else {}),
    )

    def save():
        fields = _fields(form, (*services.PACKAGE_FIELDS, "key_actions", "themes"))
        if package:
            services.package_update(user=request.user, package=package, **fields)
        else:
            services.package_create(user=request.user, programme=programme, **fields)

    success = _("The project package was saved.")
    if response := _saved(request, form, save, success=success, programme=programme):
        return response
    return _form_page(
        request,
        form,
        title=_("Edit the project package") if package else _("New project package"),
        programme=programme,
        submit=_("Save project package"),
    )


@require_http_methods(GET_OR_POST)
@login_required
def package_co_design(request, slug: str, pk: int):
    """Open the co-design process of a package, in which residents discuss its plans."""
    programme = _programme(request, slug)
    package = get_object_or_404(ProjectPackage, programme=programme, pk=pk)
    if package.process_id is not None:
        messages.error(request, _("The co-design of this project package is already open."))
        return redirect("programmes:staff_programme", slug=programme.slug)
    form = CoDesignForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.package_open_co_design(
                user=request.user,
                package=package,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The co-design is open. Add its workshops and outreach events next."),
            )
            return redirect("programmes:staff_programme", slug=programme.slug)
    return _form_page(
        request,
        form,
        title=_("Open the co-design of %(package)s") % {"package": package.title},
        programme=programme,
        submit=_("Open co-design"),
        intro=_(
            "This creates an area-development process for the package in the programme's "
            "suburb. Residents comment on the plans there, and its workshops, outreach events "
            "and debates are added to it."
        ),
    )
