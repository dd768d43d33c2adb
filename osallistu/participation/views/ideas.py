from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from .. import rules, selectors, services
from ..forms import IdeaFilterForm, IdeaForm, IdeaStatusForm
from ..models import Visibility
from .processes import get_process

IDEAS_PER_PAGE = 20
# Session key of the visitor's random-order seed, kept for the whole visit so that paging through
# a random list neither repeats nor skips ideas.
RANDOM_SEED_SESSION_KEY = "idea_order_seed"
# Keeps the ids of the staff status form apart from those of the comment form on the same page.
STATUS_FORM_PREFIX = "decision"


def _random_seed(request) -> list[int]:
    seed = request.session.get(RANDOM_SEED_SESSION_KEY)
    if not selectors.idea_random_seed_is_valid(seed):
        seed = selectors.idea_random_seed()
        request.session[RANDOM_SEED_SESSION_KEY] = seed
    return seed


@require_safe
def idea_list(request, slug: str):
    process = get_process(slug)
    query = request.GET.copy()
    # Binding the default shows it as selected in the order menu.
    query.setdefault("order", IdeaFilterForm.Order.RANDOM)
    filter_form = IdeaFilterForm(query, process=process)
    filters = filter_form.filters()
    seed = _random_seed(request) if filters["order"] == IdeaFilterForm.Order.RANDOM else None
    ideas = selectors.idea_list(process, seed=seed, **filters)
    page = Paginator(ideas, IDEAS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/idea_list.html",
        {
            "process": process,
            "page": page,
            "filter_form": filter_form,
            "is_filtered": any(filters[name] for name in ("search", "suburb", "theme", "status")),
            "can_submit_idea": rules.ideation_is_open(process),
        },
    )


def _get_idea(request, process, idea_id: int):
    """Return the idea if the visitor may see it; raise Http404 otherwise.

    Anyone sees a visible idea and the reason in place of a hidden one. A pending idea is shown
    only to its author and to moderators.
    """
    idea = selectors.idea_detail(process, idea_id)
    if idea is None:
        raise Http404(_("No such idea."))
    if idea.visibility == Visibility.PENDING and not (
        (request.user.is_authenticated and idea.author_id == request.user.pk)
        or rules.can(request.user, rules.Action.MODERATE, process)
    ):
        raise Http404(_("No such idea."))
    return idea


@require_safe
def idea_detail(request, slug: str, idea_id: int):
    process = get_process(slug)
    idea = _get_idea(request, process, idea_id)
    idea.process = process
    context = {
        "process": process,
        "idea": idea,
        "is_hidden": idea.visibility == Visibility.HIDDEN,
        "is_pending": idea.visibility == Visibility.PENDING,
        "location_map": selectors.idea_location_map(idea),
        "coordinates": _coordinates_text(idea),
        "may_edit": services.idea_may_edit(request.user, idea),
        "may_withdraw": services.idea_may_withdraw(request.user, idea),
    }
    if services.idea_may_set_status(request.user, idea):
        context["status_form"] = IdeaStatusForm(
            initial={"status": idea.status}, prefix=STATUS_FORM_PREFIX
        )
    if idea.visibility == Visibility.VISIBLE and hasattr(selectors, "comment_section"):
        context["comment_section"] = selectors.comment_section(
            idea=idea, page=request.GET.get("comments"), user=request.user
        )
    return render(request, "participation/idea_detail.html", context)


def _coordinates_text(idea) -> tuple[str, str] | None:
    """Return the idea's latitude and longitude localised, without trailing zeros."""
    if idea.latitude is None or idea.longitude is None:
        return None
    return tuple(
        number_format(Decimal(format(value, "f").rstrip("0").rstrip(".")))
        for value in (idea.latitude, idea.longitude)
    )


def _form_data(form) -> dict:
    """Return the form's cleaned data as keyword arguments of the idea services."""
    data = dict(form.cleaned_data)
    data["images"] = data.pop("more_images", None) or []
    data["location_text"] = data.get("location_text") or ""
    return data


def _submit(form, save):
    """Validate `form` and pass its data to `save`; return the idea, or None if it failed.

    A ValidationError from the service (an image, the rate limit) goes onto the form, so the
    page shows it with everything the user typed.
    """
    if not form.is_valid():
        return None
    try:
        return save(**_form_data(form))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return None


@login_required
def idea_create(request, slug: str):
    process = get_process(slug)
    if not rules.can_submit_idea(request.user, process):
        if rules.is_blocked(request.user):
            raise PermissionDenied(_("Your account has been blocked from posting."))
        raise PermissionDenied(_("Ideas can be submitted only while ideation is open."))
    if request.method == "POST":
        form = IdeaForm(request.POST, request.FILES, process=process, user=request.user)
        idea = _submit(
            form, lambda **data: services.idea_create(user=request.user, process=process, **data)
        )
        if idea is not None:
            if idea.visibility == Visibility.PENDING:
                messages.success(
                    request,
                    _("Thank you! Your idea will be published once a moderator has seen it."),
                )
            else:
                messages.success(request, _("Thank you! Your idea has been published."))
            return redirect("participation:idea_detail", slug=process.slug, idea_id=idea.pk)
    else:
        form = IdeaForm(process=process, user=request.user)
    return render(
        request, "participation/idea_form.html", {"process": process, "form": form, "idea": None}
    )


@login_required
def idea_update(request, slug: str, idea_id: int):
    process = get_process(slug)
    idea = _get_idea(request, process, idea_id)
    idea.process = process
    if not services.idea_may_edit(request.user, idea):
        raise PermissionDenied(_("You can edit your own idea only while ideas can be submitted."))
    if request.method == "POST":
        form = IdeaForm(
            request.POST, request.FILES, instance=idea, process=process, user=request.user
        )
        updated = _submit(
            form, lambda **data: services.idea_update(idea, user=request.user, **data)
        )
        if updated is not None:
            messages.success(request, _("Your changes have been saved."))
            return redirect("participation:idea_detail", slug=process.slug, idea_id=idea.pk)
    else:
        form = IdeaForm(instance=idea, process=process, user=request.user)
    return render(
        request, "participation/idea_form.html", {"process": process, "form": form, "idea": idea}
    )


@login_required
def idea_withdraw(request, slug: str, idea_id: int):
    process = get_process(slug)
    idea = _get_idea(request, process, idea_id)
    if not services.idea_may_withdraw(request.user, idea):
        raise PermissionDenied(
            _("Only the author can withdraw an idea, and only before it has been decided on.")
        )
    if request.method == "POST":
        services.idea_withdraw(idea, user=request.user)
        messages.success(request, _("Your idea has been withdrawn."))
        return redirect("participation:idea_list", slug=process.slug)
    return render(request, "participation/idea_withdraw.html", {"process": process, "idea": idea})


@require_POST
@login_required
def idea_status(request, slug: str, idea_id: int):
    process = get_process(slug)
    idea = _get_idea(request, process, idea_id)
    idea.process = process
    if not services.idea_may_set_status(request.user, idea):
        raise PermissionDenied(
            _("Only evaluators, coordinators and administrators can change an idea's status.")
        )
    form = IdeaStatusForm(request.POST, prefix=STATUS_FORM_PREFIX)
    if form.is_valid():
        try:
            services.idea_status_set(
                idea,
                form.cleaned_data["status"],
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The status of the idea has been changed."))
    else:
        messages.error(request, _("The status was not changed. Choose a status and try again."))
    return redirect("participation:idea_detail", slug=process.slug, idea_id=idea.pk)


urlpatterns = [
    path("<slug:slug>/ideas/", idea_list, name="idea_list"),
    path("<slug:slug>/ideas/new/", idea_create, name="idea_create"),
    path("<slug:slug>/ideas/<int:idea_id>/", idea_detail, name="idea_detail"),
    path("<slug:slug>/ideas/<int:idea_id>/edit/", idea_update, name="idea_update"),
    path("<slug:slug>/ideas/<int:idea_id>/withdraw/", idea_withdraw, name="idea_withdraw"),
    path("<slug:slug>/ideas/<int:idea_id>/status/", idea_status, name="idea_status"),
]
