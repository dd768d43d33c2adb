from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import rules, selectors, services
from ..forms import IdeaForm
from .processes import get_process


@require_safe
def idea_list(request, slug: str):
    process = get_process(slug)
    page = Paginator(selectors.idea_list(process), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "participation/idea_list.html",
        {"process": process, "page": page, "can_submit_idea": rules.ideation_is_open(process)},
    )


@require_safe
def idea_detail(request, slug: str, idea_id: int):
    process = get_process(slug)
    idea = get_object_or_404(selectors.idea_list(process).select_related("process"), pk=idea_id)
    return render(request, "participation/idea_detail.html", {"process": process, "idea": idea})


@login_required
def idea_create(request, slug: str):
    process = get_process(slug)
    if not rules.can_submit_idea(request.user, process):
        raise PermissionDenied(_("Ideas can be submitted only while ideation is open."))
    if request.method == "POST":
        form = IdeaForm(request.POST, request.FILES, process=process)
        if form.is_valid():
            idea = services.idea_create(user=request.user, process=process, **form.cleaned_data)
            messages.success(request, _("Thank you! Your idea has been published."))
            return redirect("participation:idea_detail", slug=process.slug, idea_id=idea.pk)
    else:
        form = IdeaForm(process=process)
    return render(request, "participation/idea_form.html", {"process": process, "form": form})


urlpatterns = [
    path("<slug:slug>/ideas/", idea_list, name="idea_list"),
    path("<slug:slug>/ideas/new/", idea_create, name="idea_create"),
    path("<slug:slug>/ideas/<int:idea_id>/", idea_detail, name="idea_detail"),
]
