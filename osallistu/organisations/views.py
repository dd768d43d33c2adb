from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from . import selectors, services
from .forms import MembershipAddForm, OrganisationCreateForm, OrganisationForm
from .models import Membership, Organisation
from .permissions import can_create_organisation, can_manage_organisation

ORGANISATIONS_PER_PAGE = 30


def get_organisation(slug: str) -> Organisation:
    try:
        return selectors.organisation_detail(slug)
    except Organisation.DoesNotExist:
        raise Http404(_("No such organisation.")) from None


def _check_manager(user, organisation: Organisation) -> None:
    if not can_manage_organisation(user, organisation):
        raise PermissionDenied(_("Only the organisation's administrators may do this."))


@require_safe
def organisation_list(request):
    page = Paginator(selectors.organisation_list(), ORGANISATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "organisations/organisation_list.html",
        {"page": page, "can_create": can_create_organisation(request.user)},
    )


@require_safe
def organisation_detail(request, slug: str):
    organisation = get_organisation(slug)
    upcoming, past = selectors.organisation_events(organisation)
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "upcoming_events": upcoming,
            "past_events": past,
            "ideas": selectors.organisation_ideas(organisation)[: selectors.PROFILE_ITEMS],
            "comments": selectors.organisation_comments(organisation)[: selectors.PROFILE_ITEMS],
            "member_count": organisation.memberships.count(),
            "can_manage": can_manage_organisation(request.user, organisation),
        },
    )


@login_required
def organisation_create(request):
    if not can_create_organisation(request.user):
        raise PermissionDenied(_("Only the city's coordinators and administrators may do this."))
    form = OrganisationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The organisation has been created."))
            return redirect(organisation)
    return render(
        request, "organisations/organisation_form.html", {"form": form, "organisation": None}
    )


@login_required
def organisation_edit(request, slug: str):
    organisation = get_organisation(slug)
    _check_manager(request.user, organisation)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                user=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect(organisation)
    return render(
        request,
        "organisations/organisation_form.html",
        {"form": form, "organisation": organisation},
    )


@login_required
def organisation_members(request, slug: str):
    organisation = get_organisation(slug)
    _check_manager(request.user, organisation)
    form = MembershipAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.membership_add(
                user=request.user, organisation=organisation, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(email)s is now a member.") % {"email": membership.user.email},
            )
            return redirect("organisations:members", slug=organisation.slug)
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "form": form,
            "memberships": selectors.organisation_members(organisation),
        },
    )


@login_required
@require_POST
def membership_remove(request, slug: str, membership_id: int):
    organisation = get_organisation(slug)
    membership = get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_id,
        organisation=organisation,
    )
    try:
        services.membership_remove(user=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(email)s is no longer a member.") % {"email": membership.user.email},
        )
    if membership.user_id == request.user.pk and not can_manage_organisation(
        request.user, organisation
    ):
        return redirect(organisation)
    return redirect("organisations:members", slug=organisation.slug)
