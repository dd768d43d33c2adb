"""Views for comments: posting, replying and liking, each redirecting back to the thread.

Pages with a thread (an idea, a debate) show the comment section with its forms, which post here.
A rejected comment comes back on a page of its own that keeps what the user typed, because the
thread's page belongs to another view.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..comment_forms import CommentForm
from ..models import Comment, Debate, Idea, Visibility
from .processes import get_process


def _thread_idea(process, idea_id: int) -> Idea:
    idea = get_object_or_404(Idea, process=process, pk=idea_id)
    # Reuse the process whose phases are prefetched for the permission checks.
    idea.process = process
    return idea


def _thread_debate(process, debate_id: int) -> Debate:
    try:
        return selectors.debate_detail(process, debate_id)
    except Debate.DoesNotExist:
        raise Http404(_("No such debate.")) from None


def _find_parent(raw_id, *, idea: Idea | None, debate: Debate | None) -> Comment | None:
    """Return the comment with primary key `raw_id` in the thread, or None if there is none."""
    try:
        parent_id = int(raw_id)
    except (TypeError, ValueError):
        return None
    thread = Q(idea=idea) if idea is not None else Q(debate=debate)
    return (
        Comment.objects.filter(thread, pk=parent_id)
        .select_related("author", "organisation")
        .first()
    )


def _comment_page(request, process, *, idea: Idea | None = None, debate: Debate | None = None):
    """Show the form of a new comment or a reply, and post it.

    GET takes the replied-to comment from `reply_to`, which is how replying works without
    JavaScript; POST takes it from `parent`.
    """
    raw_parent = (
        request.POST.get("parent") if request.method == "POST" else request.GET.get("reply_to")
    )
    parent = _find_parent(raw_parent, idea=idea, debate=debate) if raw_parent else None
    if raw_parent and parent is None and request.method != "POST":
        raise Http404(_("No such comment."))

    access = selectors.comment_access(idea=idea, debate=debate, user=request.user)
    if request.method == "POST":
        form = CommentForm(request.POST, organisations=access.organisations)
        if raw_parent and parent is None:
            form.add_error(None, _("The comment you replied to is not part of this discussion."))
        if form.is_valid():
            try:
                comment = services.comment_create(
                    request.user,
                    idea=idea,
                    debate=debate,
                    parent=parent,
                    body=form.cleaned_data["body"],
                    stance=form.cleaned_data["stance"],
                    organisation=form.cleaned_data["organisation"],
                )
            except PermissionDenied as error:
                form.add_error(None, str(error))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if comment.visibility == Visibility.PENDING:
                    messages.success(
                        request,
                        _(
                            "Thank you! Your comment will be shown to others once a moderator "
                            "has approved it."
                        ),
                    )
                else:
                    messages.success(request, _("Thank you! Your comment has been published."))
                return redirect(selectors.comment_url(comment, request.user))
    else:
        form = CommentForm(organisations=access.organisations)
    return render(
        request,
        "participation/comment_form.html",
        {
            "process": process,
            "idea": idea,
            "debate": debate,
            "parent": parent,
            "form": form,
            "access": access,
            "thread_url": selectors.thread_url(process, idea=idea, debate=debate),
            "stances": [
                {"value": stance.value, "label": stance.label} for stance in Comment.Stance
            ],
        },
    )


@login_required
def idea_comment_create(request, slug: str, idea_id: int):
    process = get_process(slug)
    return _comment_page(request, process, idea=_thread_idea(process, idea_id))


@login_required
def debate_comment_create(request, slug: str, debate_id: int):
    process = get_process(slug)
    return _comment_page(request, process, debate=_thread_debate(process, debate_id))


def _process_comment(process, comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("idea", "debate").filter(
            Q(idea__process=process) | Q(debate__process=process)
        ),
        pk=comment_id,
    )


def _set_like(request, slug: str, comment_id: int, *, like: bool):
    process = get_process(slug)
    comment = _process_comment(process, comment_id)
    thread = comment.idea or comment.debate
    thread.process = process
    try:
        if like:
            services.comment_like(request.user, comment)
        else:
            services.comment_unlike(request.user, comment)
    except (PermissionDenied, ValidationError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect(selectors.comment_url(comment, request.user))


@require_POST
@login_required
def comment_like(request, slug: str, comment_id: int):
    return _set_like(request, slug, comment_id, like=True)


@require_POST
@login_required
def comment_unlike(request, slug: str, comment_id: int):
    return _set_like(request, slug, comment_id, like=False)


urlpatterns = [
    path(
        "<slug:slug>/ideas/<int:idea_id>/comments/new/",
        idea_comment_create,
        name="idea_comment_create",
    ),
    path(
        "<slug:slug>/debates/<int:debate_id>/comments/new/",
        debate_comment_create,
        name="debate_comment_create",
    ),
    path("<slug:slug>/comments/<int:comment_id>/like/", comment_like, name="comment_like"),
    path("<slug:slug>/comments/<int:comment_id>/unlike/", comment_unlike, name="comment_unlike"),
]
