"""The upload validator: extension, size limit per kind, and content sniffing."""

import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from osallistu.core.uploads import UploadValidator, upload_limit

ZIP_AS_CSV = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20


def _png() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(output, format="PNG")
    return output.getvalue()


def _error_code(validator, name: str, content: bytes) -> str | None:
    try:
        validator(SimpleUploadedFile(name, content))
    except ValidationError as error:
        return error.code
    return None


@pytest.mark.parametrize(
    ("kinds", "name", "content"),
    [
        (("csv",), "rivit.csv", "alue;arvo\nNeulamäki;12\n".encode()),
        (("csv",), "rivit.CSV", "alue;arvo\nNeulamäki;12\n".encode("iso-8859-1")),
        (("csv",), "rivit.csv", "\ufeffalue,arvo\r\n70150,12\r\n".encode()),
        (("json",), "alueet.geojson", json.dumps({"type": "FeatureCollection"}).encode()),
        (("json",), "alueet.json", "\ufeff[1, 2]".encode()),
        (("pdf",), "pöytäkirja.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),
        (("image",), "kuva.png", _png()),
        (("csv", "json"), "rivit.json", b"[]"),
    ],
)
def test_good_files_pass(kinds, name, content):
    assert _error_code(UploadValidator(*kinds), name, content) is None


@pytest.mark.parametrize(
    ("kinds", "name", "content", "code"),
    [
        (("csv",), "rivit.xlsx", b"a;b\n", "invalid_extension"),
        (("csv",), "rivit", b"a;b\n", "invalid_extension"),
        (("csv",), "rivit.csv", ZIP_AS_CSV, "invalid_content"),
        (("csv",), "rivit.csv", b"a;b\n1;\x002\n", "invalid_content"),
        (("json",), "alueet.geojson", b'{"type": "FeatureCollection",', "invalid_content"),
        (("json",), "alueet.json", b"\xff\xfe[]", "invalid_content"),
        (("pdf",), "pöytäkirja.pdf", b"<html>not a pdf</html>", "invalid_content"),
        (("image",), "kuva.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "invalid_content"),
        (("image",), "kuva.jpg", b"GIF89a" + b"\x00" * 30, "invalid_content"),
        (("csv",), "tyhja.csv", b"", "empty"),
    ],
)
def test_bad_files_rejected(kinds, name, content, code):
    assert _error_code(UploadValidator(*kinds), name, content) == code


def test_gif_image_rejected():
    output = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(output, format="GIF")

    assert _error_code(UploadValidator("image"), "kuva.png", output.getvalue()) == (
        "invalid_content"
    )


def test_size_limit_from_settings(settings):
    settings.OSALLISTU_UPLOAD_LIMITS = {"csv": 10}

    assert _error_code(UploadValidator("csv"), "rivit.csv", b"a;b\n1;2\n") is None
    assert _error_code(UploadValidator("csv"), "rivit.csv", b"a;b\n1;2\n3;4\n") == "too_large"


def test_default_limits(settings):
    settings.OSALLISTU_UPLOAD_LIMITS = {}
    settings.OSALLISTU_MAX_UPLOAD_BYTES = 1234

    assert upload_limit("csv") == 50 * 1024 * 1024
    assert upload_limit("pdf") == 20 * 1024 * 1024
    assert upload_limit("image") == 1234


def test_messages_name_the_file_and_types():
    with translation.override("en"):
        try:
            UploadValidator("csv", "json")(SimpleUploadedFile("taulukko.xlsx", b"x"))
        except ValidationError as error:
            message = error.messages[0]

    assert message == (
        "The file taulukko.xlsx has the wrong type. Allowed file types: .csv, .txt, .json, "
        ".geojson."
    )


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown upload kinds"):
        UploadValidator("exe")


def test_validator_rewinds_the_file():
    upload = SimpleUploadedFile("rivit.csv", b"a;b\n1;2\n")

    UploadValidator("csv")(upload)

    assert upload.read() == b"a;b\n1;2\n"
