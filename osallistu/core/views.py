import mimetypes
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

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
