import mimetypes
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import set_language as django_set_language

from osallistu.participation.selectors import process_list


@require_safe
def home(request):
    return render(request, "core/home.html", {"processes": process_list()[:6]})


@require_safe
def media_file(request, name: str):
    """Serve an uploaded file from the configured shared storage.

    Any application process can serve any upload, because the file is read from the shared
    storage rather than from the disk of the process that received it. A reverse proxy may serve
    MEDIA_ROOT directly instead, for speed.
    """
    if ".." in name.split("/") or name.startswith("/"):
        raise Http404
    if not default_storage.exists(name):
        raise Http404
    content_type, _encoding = mimetypes.guess_type(name)
    response = FileResponse(
        default_storage.open(name, "rb"), content_type=content_type or "application/octet-stream"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


_CSS_COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$")


@require_safe
def theme_css(request):
    """Return the city's colour as a stylesheet, so that pages need no inline styles."""
    color = settings.OSALLISTU_PRIMARY_COLOR
    if not _CSS_COLOR.match(color):
        color = "#00558c"
    response = HttpResponse(f":root {{ --city-primary: {color}; }}\n", content_type="text/css")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_POST
def set_language(request):
    """Switch the language and redirect to the same page in it.

    Django's view translates the `next` address by resolving it in the active language, but with
    an unprefixed default language a /sv/ or /en/ address only resolves while that language is
    active. Activating the language of `next` first makes switching work from every language.
    """
    current = translation.get_language_from_path(request.POST.get("next", ""))
    if current:
        with translation.override(current):
            return django_set_language(request)
    return django_set_language(request)
