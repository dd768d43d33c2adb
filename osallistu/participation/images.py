"""Check uploaded images and store them without metadata.

Every image is decoded and encoded again with Pillow, and only the pixels (plus a PNG's
transparency) are written back. EXIF with its GPS position and camera serial, XMP, ICC profiles
and PNG text chunks of the upload therefore never reach storage or other users.
"""

import contextlib
import io
import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

__all__ = ["ALLOWED_CONTENT_TYPES", "MAX_PIXELS", "CleanImage", "clean_image"]

# Pillow format name to the file extension that stored images get.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
ALLOWED_CONTENT_TYPES = "image/jpeg,image/png,image/webp"
# Decoded pixels allowed, so that a small compressed file cannot expand into gigabytes of memory
# (a decompression bomb). 50 megapixels admits the 48-megapixel mode of some phone cameras.
MAX_PIXELS = 50_000_000
# Longer side of stored images, in pixels. Larger photos are scaled down before they are stored.
MAX_STORED_SIDE = 2560
JPEG_QUALITY = 90
WEBP_QUALITY = 90

ERRORS = {
    "too_large": _("The image is too large (%(size)s). The maximum is %(max)s."),
    "invalid_image": _(
        "The file is not an image, or the image is damaged. Use a JPEG, PNG or WebP image."
    ),
    "invalid_type": _("Use a JPEG, PNG or WebP image."),
    "too_many_pixels": _(
        "The image has too many pixels. The maximum is %(max)s megapixels: make the image "
        "smaller and try again."
    ),
}


class CleanImage(ContentFile):
    """An image that clean_image() has checked and re-encoded, named by a random UUID."""

    def __init__(self, content: bytes, extension: str):
        # The upload's own name is dropped because names like "IMG_Matti_home.jpg" identify people.
        super().__init__(content, name=f"{uuid.uuid4().hex}.{extension}")


def clean_image(upload) -> CleanImage:
    """Check an uploaded image and return it re-encoded without metadata.

    Raise ValidationError with code too_large, invalid_image, invalid_type or too_many_pixels.
    The image keeps its format (JPEG, PNG or WebP) and orientation; a longer side above
    MAX_STORED_SIDE is scaled down. A CleanImage is returned as it is.
    """
    if isinstance(upload, CleanImage):
        return upload
    max_bytes = settings.OSALLISTU_MAX_UPLOAD_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            ERRORS["too_large"],
            code="too_large",
            params={"size": filesizeformat(upload.size), "max": filesizeformat(max_bytes)},
        )
    image = _decode(upload)
    image_format = image.format
    # Rotate by the EXIF orientation first, because the orientation tag is dropped with the rest.
    image = ImageOps.exif_transpose(image)
    if max(image.size) > MAX_STORED_SIDE:
        image.thumbnail((MAX_STORED_SIDE, MAX_STORED_SIDE))
    return CleanImage(_encode(image, image_format), ALLOWED_FORMATS[image_format])


@contextlib.contextmanager
def _truncated_images_rejected():
    """Make Pillow raise on a truncated image while the block runs.

    WeasyPrint sets Pillow's process-wide ImageFile.LOAD_TRUNCATED_IMAGES when it is imported,
    so after the first PDF a damaged upload would otherwise decode with a grey gap.
    """
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _decode(upload) -> Image.Image:
    """Return the upload decoded, after checking its format and pixel count from the header."""
    too_many_pixels = ValidationError(
        ERRORS["too_many_pixels"], code="too_many_pixels", params={"max": MAX_PIXELS // 10**6}
    )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # open() reads only the header, so the checks below run before any pixel is decoded.
            image = Image.open(upload)
            if image.format not in ALLOWED_FORMATS:
                raise ValidationError(ERRORS["invalid_type"], code="invalid_type")
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise too_many_pixels
            # A JPEG can be decoded at 1/2, 1/4 or 1/8 scale, which saves memory for big photos.
            image.draft(image.mode, (MAX_STORED_SIDE, MAX_STORED_SIDE))
            with _truncated_images_rejected():
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_many_pixels from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError(ERRORS["invalid_image"], code="invalid_image") from None
    finally:
        upload.seek(0)
    return image


def _encode(image: Image.Image, image_format: str) -> bytes:
    """Return the image encoded in `image_format` with nothing but its pixels."""
    # Pillow writes some entries of `info` (ICC profile, XMP) back when saving, so all but a PNG's
    # transparency colour are removed first.
    image.info = {key: value for key, value in image.info.items() if key == "transparency"}
    options: dict = {}
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        options = {"quality": JPEG_QUALITY}
    elif image_format == "WEBP":
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA")
        options = {"quality": WEBP_QUALITY}
    output = io.BytesIO()
    image.save(output, format=image_format, **options)
    return output.getvalue()
