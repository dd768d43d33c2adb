"""Check uploaded files: file name extension, actual content and size, per kind of file.

A form field takes `UploadValidator("csv", "json")` among its validators. The validator picks the
kind from the file name's extension, rejects a file larger than that kind's limit
(`OSALLISTU_UPLOAD_LIMITS`, in bytes) and reads the content to check that it is what the extension
claims, so that a renamed spreadsheet, archive or executable is rejected before an importer or a
visitor's browser sees it. Idea images are checked and re-encoded by participation.images instead.
"""

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

__all__ = ["KINDS", "UploadValidator", "upload_limit"]

# Bytes read at a time when a file's whole content is checked.
CHUNK_SIZE = 64 * 1024
# C0 control characters other than tab, line feed, carriage return and form feed. CSV text has
# none of them, but the headers of binary formats such as ZIP (and so XLSX) and PNG do.
CONTROL_BYTES = bytes(set(range(32)) - {9, 10, 12, 13})


@dataclass(frozen=True)
class Kind:
    label: str
    extensions: tuple[str, ...]
    # The limit if OSALLISTU_UPLOAD_LIMITS does not set one, in bytes; None for images, which
    # share OSALLISTU_MAX_UPLOAD_BYTES with the idea images of participation.images.
    default_limit: int | None


KINDS = {
    "image": Kind("JPEG, PNG, WebP", (".jpg", ".jpeg", ".png", ".webp"), None),
    "csv": Kind("CSV", (".csv", ".txt"), 50 * 1024 * 1024),
    "json": Kind("JSON, GeoJSON", (".json", ".geojson"), 50 * 1024 * 1024),
    "pdf": Kind("PDF", (".pdf",), 20 * 1024 * 1024),
}
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}

ERRORS = {
    "invalid_extension": _(
        "The file %(name)s has the wrong type. Allowed file types: %(allowed)s."
    ),
    "too_large": _("The file is too large (%(size)s). The maximum is %(max)s."),
    "empty": _("The file %(name)s is empty."),
    "invalid_content": _(
        "The content of the file %(name)s is not %(kind)s, although its name says so. Check that "
        "you chose the right file and saved it in that format."
    ),
}


def upload_limit(kind: str) -> int:
    """Return the maximum size in bytes of an upload of `kind`."""
    limits = getattr(settings, "OSALLISTU_UPLOAD_LIMITS", {})
    if kind in limits:
        return limits[kind]
    return KINDS[kind].default_limit or settings.OSALLISTU_MAX_UPLOAD_BYTES


@deconstructible
class UploadValidator:
    """Validate an uploaded file as one of `kinds` (keys of KINDS)."""

    def __init__(self, *kinds: str):
        unknown = set(kinds) - set(KINDS)
        if not kinds or unknown:
            raise ValueError(f"Unknown upload kinds: {sorted(unknown)}; use {sorted(KINDS)}.")
        self.kinds = kinds

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and self.kinds == other.kinds

    def __call__(self, upload) -> None:
        name = os.path.basename(upload.name or "")
        kind = self.kind_of(name)
        if kind is None:
            raise ValidationError(
                ERRORS["invalid_extension"],
                code="invalid_extension",
                params={"name": name, "allowed": self.allowed_extensions()},
            )
        limit = upload_limit(kind)
        if upload.size > limit:
            raise ValidationError(
                ERRORS["too_large"],
                code="too_large",
                params={"size": filesizeformat(upload.size), "max": filesizeformat(limit)},
            )
        if upload.size == 0:
            raise ValidationError(ERRORS["empty"], code="empty", params={"name": name})
        upload.seek(0)
        try:
            valid = CONTENT_CHECKS[kind](upload)
        finally:
            upload.seek(0)
        if not valid:
            raise ValidationError(
                ERRORS["invalid_content"],
                code="invalid_content",
                params={"name": name, "kind": KINDS[kind].label},
            )

    def kind_of(self, name: str) -> str | None:
        """Return the kind among self.kinds whose extension `name` has, or None."""
        extension = os.path.splitext(name)[1].lower()
        for kind in self.kinds:
            if extension in KINDS[kind].extensions:
                return kind
        return None

    def allowed_extensions(self) -> str:
        """Return the allowed extensions as a comma-separated list, for messages."""
        return ", ".join(_extensions(self.kinds))

    def accept(self) -> str:
        """Return the allowed extensions as the `accept` attribute of a file input."""
        return ",".join(_extensions(self.kinds))


def _extensions(kinds: Iterable[str]) -> list[str]:
    return [extension for kind in kinds for extension in KINDS[kind].extensions]


def _is_image(upload) -> bool:
    try:
        with Image.open(upload) as image:
            image_format = image.format
            # verify() checks the file's structure and checksums without decoding the pixels.
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        return False
    return image_format in IMAGE_FORMATS


def _is_text(upload) -> bool:
    """Return True if the file has no control bytes, so it is UTF-8 or ISO-8859-1 text."""
    for chunk in upload.chunks(CHUNK_SIZE):
        if len(chunk.translate(None, CONTROL_BYTES)) != len(chunk):
            return False
    return True


def _is_json(upload) -> bool:
    try:
        json.loads(upload.read().decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return False
    return True


def _is_pdf(upload) -> bool:
    # A PDF starts with its header, "%PDF-" and the version (ISO 32000-1, 7.5.2).
    return upload.read(5) == b"%PDF-"


CONTENT_CHECKS = {"image": _is_image, "csv": _is_text, "json": _is_json, "pdf": _is_pdf}
