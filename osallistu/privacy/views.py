from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from osallistu.participation import rules
from osallistu.participation.rules import Action

from . import selectors, services
from .export import account_export_zip
from .forms import EraseForm, NoticeForm
from .models import PrivacyNotice, Processing


@require_safe
def notice_list(request):
    can_edit = rules.can(request.user, Action.MANAGE_PRIVACY)
    return render(
        request,
        "privacy/notice_list.html",
        {"processings": Processing.choices, "can_edit": can_edit},
    )


@require_safe
def notice_detail(request, processing: str):
    if processing not in Processing.values:
        raise Http404
    context = selectors.notice_context(processing)
    context["controller_contact"] = settings.OSALLISTU_PRIVACY_CONTACT
    return render(request, "privacy/notice_detail.html", context)


@require_safe
@login_required
def my_data(request):
    return render(request, "privacy/my_data.html")


@require_POST
@login_required
def download(request):
    response = HttpResponse(account_export_zip(request.user), content_type="application/zip")
    filename = f"osallistu-{timezone.localdate():%Y-%m-%d}.zip"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def erase(request):
    form = EraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        counts = services.account_erase(
            user=user,
            actor=user,
            delete_contributions=form.cleaned_data["delete_contributions"],
        )
        logout(request)
        kept = counts["ideas_kept"] + counts["comments_kept"]
        if kept:
            messages.success(
                request,
                _(
                    "Your account has been deleted. %(kept)s of your contributions stay on the "
                    "site under the name “resident”."
                )
                % {"kept": kept},
            )
        else:
            messages.success(request, _("Your account has been deleted."))
        return redirect("home")
    return render(request, "privacy/erase.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def notice_edit(request, processing: str):
    if processing not in Processing.values:
        raise Http404
    if not rules.can(request.user, Action.MANAGE_PRIVACY):
        raise PermissionDenied
    notice = PrivacyNotice.objects.filter(processing=processing).first()
    initial = (
        {"text_fi": notice.text_fi, "text_sv": notice.text_sv, "text_en": notice.text_en}
        if notice
        else {}
    )
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.notice_update(user=request.user, processing=processing, **form.cleaned_data)
        messages.success(request, _("The privacy notice has been saved."))
        return redirect("privacy:notice", processing=processing)
    return render(
        request,
        "privacy/notice_edit.html",
        {"form": form, "processing_label": Processing(processing).label},
    )
