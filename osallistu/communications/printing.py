"""Posters and flyers: Finnish print documents with a QR code, as tagged PDF/UA-1.

The poster is A4 portrait. The flyer is A5 portrait, which a printer fits two to an A4 sheet
(the "2 pages per sheet" print option) for cutting in half.
"""

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import segno
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator

from osallistu.areas.models import Suburb
from osallistu.events.models import Event

from . import selectors
from .models import PosterText

logger = logging.getLogger(__name__)

DOCUMENTS = ("poster", "flyer")
_CSS_COLOR = re.compile(r"^#[0-9a-fA-F]{3,8}$")
# A default text that fits the flyer: the event's description cut to this many characters.
_DEFAULT_TEXT_LENGTH = 300


@dataclass
class PrintTarget:
    """The subject of a poster or flyer: a suburb's participation or one event.

    `suburb` is None only for an event that belongs to no suburb.
    """

    suburb: Suburb | None
    event: Event | None = None

    @property
    def step(self):
        return self.event or self.suburb

    def page_path(self) -> str:
        if self.event is not None:
            return selectors.event_page_path(self.event)
        return selectors.suburb_page_path(self.suburb)


def city_color() -> str:
    """Return the configured city colour, or the default blue if it is not a CSS hex colour."""
    color = settings.OSALLISTU_PRIMARY_COLOR
    return color if _CSS_COLOR.match(color) else "#00558c"


def poster_text(target: PrintTarget) -> PosterText:
    """Return the stored poster text of `target`, or an unsaved empty one."""
    lookup = {"event": target.event} if target.event else {"suburb": target.suburb}
    return PosterText.objects.filter(**lookup).first() or PosterText(**lookup)


def qr_code_data_uri(url: str) -> str:
    """Return a QR code of `url` as an SVG data URI, with error correction level M or better."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4)


def print_context(target: PrintTarget) -> dict:
    """Return the template context of the poster and flyer of `target`, in Finnish."""
    url = selectors.absolute_url(target.page_path())
    stored = poster_text(target)
    context = {
        "target": target,
        "suburb": target.suburb,
        "event": target.event,
        "heading": stored.heading,
        "text": stored.text,
        "url": url,
        "short_url": url.split("://", 1)[-1],
        "qr_code": qr_code_data_uri(url),
        "city_name": settings.OSALLISTU_CITY_NAME,
        "city_logo": settings.OSALLISTU_LOGO,
        "language": "fi",
    }
    if target.event is not None:
        if not stored.text:
            context["text"] = Truncator(target.event.description).chars(_DEFAULT_TEXT_LENGTH)
    else:
        context["processes"] = selectors.open_processes(target.suburb)
        context["events"] = selectors.upcoming_events(target.suburb)
    return context


def render_html(target: PrintTarget, document: str, *, for_pdf: bool = False) -> str:
    """Return the HTML of the poster or flyer of `target`; `document` is "poster" or "flyer"."""
    if document not in DOCUMENTS:
        raise ValueError(f"unknown document {document!r}; expected one of {DOCUMENTS}")
    with translation.override("fi"):
        context = {**print_context(target), "document": document, "for_pdf": for_pdf}
        return render_to_string("communications/print.html", context)


def _url_fetcher(url: str, *args, **kwargs):
    """Fetch data URIs and the site's own static files; reject everything else.

    A print document never loads anything over the network, so a misconfigured logo address
    cannot make the server fetch from elsewhere.
    """
    from weasyprint import default_url_fetcher

    if url.startswith("data:"):
        return default_url_fetcher(url, *args, **kwargs)
    path = urlsplit(url).path
    if path.startswith(settings.STATIC_URL):
        found = finders.find(path.removeprefix(settings.STATIC_URL))
        if found:
            return default_url_fetcher(Path(found).as_uri(), *args, **kwargs)
    raise ValueError(f"print documents load only static files, not {url!r}")


_PAGE_CSS = {
    "poster": "@page { size: A4 portrait; margin: 15mm; }",
    "flyer": "@page { size: A5 portrait; margin: 10mm; }",
}


def render_pdf(target: PrintTarget, document: str) -> bytes:
    """Return the poster or flyer of `target` as a tagged PDF/UA-1 with language and title."""
    from weasyprint import CSS, HTML

    html = render_html(target, document, for_pdf=True)
    # The stylesheet is read from disk: fetching its URL would make the server request itself.
    stylesheets = [
        CSS(filename=finders.find("communications/print.css")),
        CSS(string=f":root {{ --city-primary: {city_color()}; }} {_PAGE_CSS[document]}"),
    ]
    return HTML(
        string=html, base_url=settings.OSALLISTU_SITE_URL, url_fetcher=_url_fetcher
    ).write_pdf(stylesheets=stylesheets, pdf_variant="pdf/ua-1")
