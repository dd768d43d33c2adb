from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from osallistu.implementation.models import ImplementationItem
from osallistu.participation.models import Idea, Visibility

from . import selectors, services
from .forms import NotificationSettingsForm
from .models import Notification


def redirect_back(request, fallback: str) -> HttpResponseRedirect:
    """Redirect to the form's `next` path if it is on this site, else to `fallback`."""
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(next_url)
    return redirect(fallback)


def _follow_target(request, kind: str, pk: int):
    model = services.FOLLOW_MODELS.get(kind)
    if model is None:
        raise Http404(_("This cannot be followed."))
    target = get_object_or_404(model, pk=pk)
    # Ideas that are hidden or wait for moderation are not public, except to their authors.
    if (
        isinstance(target, Idea)
        and target.visibility != Visibility.VISIBLE
        and target.author_id != request.user.pk
    ):
        raise Http404(_("This cannot be followed."))
    if isinstance(target, ImplementationItem) and not target.is_public:
        raise Http404(_("This cannot be followed."))
    return target


@login_required
@require_POST
def follow(request, kind: str, pk: int):
    target = _follow_target(request, kind, pk)
    services.follow(request.user, target)
    messages.success(
        request,
        _("You now follow %(name)s. News of it appears in your notifications.") % {"name": target},
    )
    return redirect_back(request, "notifications:settings")


@login_required
@require_POST
def unfollow(request, kind: str, pk: int):
    target = _follow_target(request, kind, pk)
    services.unfollow(request.user, target)
    messages.success(request, _("You no longer follow %(name)s.") % {"name": target})
    return redirect_back(request, "notifications:settings")


@login_required
@require_safe
def notification_list(request):
    page = Paginator(selectors.notification_list(request.user), 20).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@login_required
@require_POST
def notification_read(request, pk: int | None = None):
    notifications = Notification.objects.filter(user=request.user, read_at__isnull=True)
    if pk is not None:
        notifications = notifications.filter(pk=pk)
    notifications.update(read_at=timezone.now())
    return redirect_back(request, "notifications:list")


@login_required
def notification_settings(request):
    if request.method == "POST":
        form = NotificationSettingsForm(request.POST, instance=request.user)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your notification settings have been saved."))
            return redirect("notifications:settings")
    else:
        form = NotificationSettingsForm(instance=request.user)
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "follows": selectors.follow_list(request.user)},
    )
