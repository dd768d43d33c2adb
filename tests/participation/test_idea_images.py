"""Idea images: accepted types, size and pixel limits, and metadata removal."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import ExifTags, Image, PngImagePlugin

from osallistu.participation import images
from osallistu.participation.models import Idea, IdeaImage

from .ideas_support import (
    default_language_fixture,  # noqa: F401
    idea_url,
    ideation_process_fixture,  # noqa: F401
    image_bytes,
    media_root_fixture,  # noqa: F401
    upload,
)

pytestmark = pytest.mark.django_db


def jpeg_with_metadata(size=(40, 20), orientation=1) -> bytes:
    """Return a JPEG with camera EXIF, a GPS position, an ICC profile and a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Kamera Oy"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (62.0, 53.0, 10.0)
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(
        buffer, format="JPEG", exif=exif, icc_profile=b"icc-profile" * 10, comment=b"Matti"
    )
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_header_only(width: int, height: int) -> bytes:
    """Return a PNG that claims the given size but contains a few bytes of pixel data."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", zlib.compress(b"\0" * 100))
    )


def post_idea(client, process, **files):
    data = {"title": "Kuvallinen idea", "description": "Kuvaus, joka säilyy.", **files}
    with translation.override("en"):
        return client.post(idea_url("idea_create", process), data)


def assert_rejected(response, field: str, code: str, text: str) -> None:
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field, code), form.errors.as_data()
    content = response.content.decode()
    assert text in content
    assert 'value="Kuvallinen idea"' in content
    assert "Kuvaus, joka säilyy." in content
    assert Idea.objects.count() == 0


def stored_bytes(field_file) -> bytes:
    with field_file.open("rb") as stored:
        return stored.read()


# Through the idea form


def test_upload_stored_without_exif(ideation_process, resident, client):
    client.force_login(resident)
    post_idea(
        client,
        ideation_process,
        image=upload("IMG_Matti_koti.jpg", jpeg_with_metadata(), "image/jpeg"),
    )
    idea = Idea.objects.get()
    data = stored_bytes(idea.image)
    stored = Image.open(io.BytesIO(data))
    assert stored.format == "JPEG"
    assert dict(stored.getexif()) == {}
    assert stored.getexif().get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "exif" not in stored.info
    assert "icc_profile" not in stored.info
    assert "comment" not in stored.info
    assert b"Exif" not in data
    assert b"Kamera Oy" not in data
    assert b"Matti" not in data


def test_upload_name_is_random(ideation_process, resident, client):
    client.force_login(resident)
    post_idea(client, ideation_process, image=upload("Matti_Meikalainen.png"))
    name = Idea.objects.get().image.name
    assert "Matti" not in name
    assert name.startswith("ideas/")
    assert name.endswith(".png")


def test_more_images_stored_clean(ideation_process, resident, client):
    client.force_login(resident)
    post_idea(
        client,
        ideation_process,
        more_images=[
            upload("a.jpg", jpeg_with_metadata(), "image/jpeg"),
            upload("b.jpg", jpeg_with_metadata(), "image/jpeg"),
        ],
    )
    extras = IdeaImage.objects.filter(idea=Idea.objects.get())
    assert extras.count() == 2
    for extra in extras:
        assert b"Exif" not in stored_bytes(extra.image)


def test_non_image_rejected(ideation_process, resident, client):
    client.force_login(resident)
    response = post_idea(
        client, ideation_process, image=upload("x.png", b"not an image", "image/png")
    )
    assert_rejected(response, "image", "invalid_image", "The file is not an image")


def test_broken_image_rejected(ideation_process, resident, client):
    client.force_login(resident)
    truncated = jpeg_with_metadata(size=(400, 300))[:-400]
    response = post_idea(
        client, ideation_process, image=upload("rikki.jpg", truncated, "image/jpeg")
    )
    assert_rejected(response, "image", "invalid_image", "the image is damaged")


def test_gif_rejected(ideation_process, resident, client):
    client.force_login(resident)
    response = post_idea(
        client,
        ideation_process,
        image=upload("kuva.gif", image_bytes("GIF"), "image/gif"),
    )
    assert_rejected(response, "image", "invalid_type", "Use a JPEG, PNG or WebP image.")


def test_oversized_file_rejected(ideation_process, resident, client, settings):
    settings.OSALLISTU_MAX_UPLOAD_BYTES = 1000
    client.force_login(resident)
    big = image_bytes("PNG", size=(200, 200))
    response = post_idea(
        client,
        ideation_process,
        image=upload("iso.png", big + b"\0" * 2000, "image/png"),
    )
    assert_rejected(response, "image", "too_large", "The image is too large")


def test_huge_dimensions_rejected(ideation_process, resident, client):
    client.force_login(resident)
    bomb = io.BytesIO()
    # A one-bit 60-megapixel image compresses to a few kilobytes.
    Image.new("1", (10_000, 6_000)).save(bomb, format="PNG")
    response = post_idea(
        client,
        ideation_process,
        image=upload("pommi.png", bomb.getvalue(), "image/png"),
    )
    assert len(bomb.getvalue()) < 100_000
    assert_rejected(response, "image", "too_many_pixels", "The image has too many pixels.")


def test_broken_extra_image_rejected(ideation_process, resident, client):
    client.force_login(resident)
    response = post_idea(
        client, ideation_process, more_images=[upload(), upload("x.png", b"rikki", "image/png")]
    )
    assert_rejected(response, "more_images", "invalid_image", "The file is not an image")


def test_too_many_images_rejected(ideation_process, resident, client):
    client.force_login(resident)
    response = post_idea(
        client,
        ideation_process,
        image=upload(),
        more_images=[upload(f"{number}.png") for number in range(5)],
    )
    assert_rejected(response, "more_images", "too_many_images", "at most 5 images")


def test_form_asks_to_choose_images_again(ideation_process, resident, client):
    client.force_login(resident)
    with translation.override("en"):
        response = client.post(
            idea_url("idea_create", ideation_process), {"title": "", "image": upload()}
        )
    assert "choose your images again" in response.content.decode()


# clean_image() itself


def test_png_text_chunks_removed():
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Matti Meikäläinen")
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10), "blue").save(buffer, format="PNG", pnginfo=info)
    cleaned = images.clean_image(upload("a.png", buffer.getvalue())).read()
    assert b"Matti" not in cleaned
    assert Image.open(io.BytesIO(cleaned)).info.get("Author") is None


def test_png_transparency_kept():
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, format="PNG")
    cleaned = Image.open(images.clean_image(upload("a.png", buffer.getvalue())))
    assert cleaned.mode == "RGBA"
    assert cleaned.getpixel((0, 0))[3] == 0


def test_webp_stays_webp():
    cleaned = images.clean_image(upload("a.webp", image_bytes("WEBP"), "image/webp"))
    assert cleaned.name.endswith(".webp")
    assert Image.open(cleaned).format == "WEBP"


def test_orientation_applied():
    # EXIF orientation 6 means "rotate 90° clockwise to display".
    cleaned = images.clean_image(
        upload("a.jpg", jpeg_with_metadata(size=(40, 20), orientation=6), "image/jpeg")
    )
    assert Image.open(cleaned).size == (20, 40)


def test_large_photo_scaled_down():
    cleaned = images.clean_image(upload("a.png", image_bytes("PNG", size=(3000, 100))))
    assert Image.open(cleaned).size == (images.MAX_STORED_SIDE, 85)


def test_plain_png_kept_byte_for_byte():
    original = image_bytes("PNG", size=(40, 30))
    assert images.clean_image(upload("a.png", original)).read() == original


def test_header_beyond_pillow_limit_rejected():
    with pytest.raises(ValidationError) as error:
        images.clean_image(upload("a.png", png_header_only(20_000, 20_000)))
    assert error.value.code == "too_many_pixels"


def test_clean_image_is_idempotent():
    cleaned = images.clean_image(upload())
    assert images.clean_image(cleaned) is cleaned


def test_broken_image_rejected_after_pdf(ideation_process, resident, client):
    # Importing WeasyPrint makes Pillow accept truncated images process-wide.
    import weasyprint  # noqa: F401
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES
    client.force_login(resident)
    truncated = jpeg_with_metadata(size=(400, 300))[:-400]

    response = post_idea(
        client, ideation_process, image=upload("rikki.jpg", truncated, "image/jpeg")
    )

    assert_rejected(response, "image", "invalid_image", "the image is damaged")
    assert ImageFile.LOAD_TRUNCATED_IMAGES
