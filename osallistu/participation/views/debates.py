"""Views for debates: list and page per process, and staff forms that open and close them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import rules, selectors, services
from ..comment_forms import DebateCloseForm, DebateForm
from ..models import Debate, Process
from .processes import get_process

DEBATES_PER_PAGE = 20


def _get_debate(process: Process, debate_id: int) -> Debate:
    try:
        return selectors.debate_detail(process, debate_id)
    except Debate.DoesNotExist:
        raise Http404(_("No such debate.")) from None


def _require_manager(user, process: Process) -> None:
    if not rules.can(user, rules.Action.MANAGE_DEBATES, process):
        raise PermissionDenied(_("You do not have the right to open or close debates."))


@require_safe
def debate_list(request, slug: str):
    process = get_process(slug)
    page = Paginator(selectors.debate_list(process), DEBATES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "participation/debate_list.html",
        {
            "process": process,
            "page": page,
            "can_manage": rules.can(request.user, rules.Action.MANAGE_DEBATES, process),
        },
    )


@require_safe
def debate_detail(request, slug: str, debate_id: int):
    process = get_process(slug)
    debate = _get_debate(process, debate_id)
    section = selectors.comment_section(
        debate=debate, page=request.GET.get(selectors.COMMENT_PAGE_PARAM), user=request.user
    )
    return render(
        request,
        "participation/debate_detail.html",
        {
            "process": process,
            "debate": debate,
            "comment_section": section,
            "can_manage": rules.can(request.user, rules.Action.MANAGE_DEBATES, process),
        },
    )


@login_required
def debate_create(request, slug: str):
    process = get_process(slug)
    _require_manager(request.user, process)
    form = DebateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            debate = services.debate_create(
                request.user,
                process=process,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The debate has been opened."))
            return redirect("participation:debate_detail", slug=process.slug, debate_id=debate.pk)
    return render(request, "participation/debate_form.html", {"process": process, "form": form})


@login_required
def debate_close(request, slug: str, debate_id: int):
    process = get_process(slug)
    _require_manager(request.user, process)
    debate = _get_debate(process, debate_id)
    if debate.is_closed:
        messages.info(request, _("This debate is already closed."))
        return redirect("participation:debate_detail", slug=process.slug, debate_id=debate.pk)
    form = DebateCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.debate_close(request.user, debate, conclusion=form.cleaned_data["conclusion"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The debate has been closed with its conclusion."))
            return redirect("participation:debate_detail", slug=process.slug, debate_id=debate.pk)
    return render(
        request,
        "participation/debate_close.html",
        {"process": process, "debate": debate, "form": form},
    )


urlpatterns = [
    path("<slug:slug>/debates/", debate_list, name="debate_list"),
    path("<slug:slug>/debates/new/", debate_create, name="debate_create"),
    path("<slug:slug>/debates/<int:debate_id>/", debate_detail, name="debate_detail"),
    path("<slug:slug>/debates/<int:debate_id>/close/", debate_close, name="debate_close"),
]
