"""Voters' identification: choose a method, visit the provider, come back eligible or refused."""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from osallistu.budgeting import selectors as budgeting_selectors
from osallistu.participation import rules
from osallistu.participation.models import Process

from .adapters import IdentificationError, enabled_adapters, get_adapter
from .adapters.local_test import LocalTestAdapter
from .claims import Method
from .forms import TEST_PEOPLE, LocalTestPersonForm
from .selectors import remember_record
from .services import budgeting_settings, establish_eligibility, residence_decides_area

logger = logging.getLogger(__name__)


def _budgeting_process(slug: str) -> Process:
    return get_object_or_404(
        Process.objects.prefetch_related("phases"),
        slug=slug,
        kind=Process.Kind.PARTICIPATORY_BUDGETING,
    )


def _safe_next(request, url: str, process: Process) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("participation:process_detail", args=[process.slug])


@require_http_methods(["GET", "POST"])
def start(request, process_slug):
    """Offer the identification methods; a chosen method sends the voter to its provider."""
    process = _budgeting_process(process_slug)
    # Online identification only opens the ballot, so it is offered while voting is open. Staff
    # enter paper ballots after closing through the desk, which checks identity documents itself.
    voting_is_open = rules.voting_is_open(process)
    adapters = enabled_adapters() if voting_is_open else []
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next", ""), process)
    if request.method == "POST" and voting_is_open:
        adapter = get_adapter(request.POST.get("method", ""))
        if adapter is not None:
            try:
                return adapter.begin(request, {"process": process.pk, "next": next_url})
            except IdentificationError as error:
                return _failed(request, error)
    return render(
        request,
        "identity/start.html",
        {
            "process": process,
            "adapters": adapters,
            "voting_is_open": voting_is_open,
            "voting_has_closed": budgeting_selectors.voting_has_closed(process),
            "results_published": process.results_published,
            "next": next_url,
            "assisted_voting_url": settings.OSALLISTU_ASSISTED_VOTING_URL,
            # Voters see beforehand which postal codes count as living in each area.
            "residence_areas": process.budget_areas.order_by("name")
            if residence_decides_area(process, budgeting_settings(process))
            else None,
        },
    )


@sensitive_variables("claims")
def finish(request, claims, pending):
    """Establish eligibility from the claims, store it in the session and redirect to `next`.

    A rejection renders a page with the reason, and a security denial links to assisted voting.
    """
    process = Process.objects.filter(pk=pending.get("process")).first()
    if process is None:
        raise Http404
    try:
        record = establish_eligibility(process, claims)
    except ValidationError as error:
        logger.info("Identification rejected in process %s: %s", process.pk, error.code)
        return render(
            request,
            "identity/refused.html",
            {
                "process": process,
                "code": error.code,
                "messages_": error.messages,
                "assisted_voting_url": settings.OSALLISTU_ASSISTED_VOTING_URL,
            },
            status=403,
        )
    remember_record(request, record)
    return redirect(_safe_next(request, pending.get("next", ""), process))


def _failed(request, error: IdentificationError):
    logger.warning("Identification failed: %s", error)
    return render(request, "identity/failed.html", status=400)


# Error reports (such as emails to ADMINS) leave out the assertion and the claims.
@sensitive_post_parameters("SAMLResponse")
@sensitive_variables("claims")
@csrf_exempt  # The identity provider posts here from its own site; the assertion is the proof.
@require_http_methods(["GET", "POST"])
def callback(request, method):
    """Read the provider's response, a SAML POST or an OpenID Connect redirect."""
    adapter = get_adapter(method)
    if adapter is None or method == Method.LOCAL_TEST:
        raise Http404
    try:
        claims, pending = adapter.complete(request)
    except IdentificationError as error:
        return _failed(request, error)
    return finish(request, claims, pending)


@sensitive_post_parameters("national_id")
@sensitive_variables("claims", "form")
@require_http_methods(["GET", "POST"])
def local_test(request):
    """Act as an identity provider that vouches for any test person; development and tests only."""
    adapter = get_adapter(Method.LOCAL_TEST)
    if not isinstance(adapter, LocalTestAdapter):
        raise Http404
    try:
        adapter.pending(request)
    except IdentificationError:
        return HttpResponseBadRequest()
    form = LocalTestPersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claims, pending = adapter.complete(request)
        except IdentificationError as error:
            return _failed(request, error)
        return finish(request, claims, pending)
    return render(request, "identity/local_test.html", {"form": form, "people": TEST_PEOPLE})


def sp_metadata(request):
    """Publish the Suomi.fi service provider metadata that the provider registers."""
    adapter = get_adapter(Method.SUOMIFI)
    if adapter is None:
        raise Http404
    return adapter.metadata_response(request)
