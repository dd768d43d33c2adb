import datetime

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError

from osallistu.identity.checks import identity_settings
from osallistu.identity.digest import birth_date, identity_digest, normalise_national_id

from .helpers import SUOMIFI_TEST_HETU, make_hetu


def test_digest_is_keyed_hmac_and_ignores_case_and_space(settings):
    settings.OSALLISTU_IDENTITY_HMAC_KEY = "key-one"
    lower = make_hetu(datetime.date(2012, 5, 4)).lower()
    first = identity_digest(SUOMIFI_TEST_HETU)
    assert len(first) == 64
    assert "9988" not in first
    assert identity_digest(f" {lower} ") == identity_digest(lower.upper())
    settings.OSALLISTU_IDENTITY_HMAC_KEY = "key-two"
    assert identity_digest(SUOMIFI_TEST_HETU) != first


@pytest.mark.parametrize("sign", list("-YXWVU"))
def test_1900s_century_signs_including_2023_ones(sign):
    number = make_hetu(datetime.date(1994, 5, 1), sign=sign)
    assert normalise_national_id(number) == number
    assert birth_date(number) == datetime.date(1994, 5, 1)


@pytest.mark.parametrize("sign", list("ABCDEF"))
def test_2000s_century_signs_including_2023_ones(sign):
    number = make_hetu(datetime.date(2013, 12, 31), sign=sign)
    assert birth_date(number) == datetime.date(2013, 12, 31)


@pytest.mark.parametrize(
    "number",
    ["210281-9989", "310281-9988", "210281Z9988", "", "210281-998", "abc"],
)
def test_invalid_numbers_are_refused_without_echoing_them(number):
    with pytest.raises(ValidationError) as caught:
        identity_digest(number)
    assert caught.value.code == "invalid_national_id"
    assert "9988" not in str(caught.value.messages)


def test_missing_key_outside_debug_fails_loudly(settings):
    settings.OSALLISTU_IDENTITY_HMAC_KEY = ""
    settings.DEBUG = False
    with pytest.raises(ImproperlyConfigured):
        identity_digest(SUOMIFI_TEST_HETU)
    assert "identity.E001" in {error.id for error in identity_settings(None)}


def test_missing_key_in_debug_uses_a_development_key(settings):
    settings.OSALLISTU_IDENTITY_HMAC_KEY = ""
    settings.DEBUG = True
    assert len(identity_digest(SUOMIFI_TEST_HETU)) == 64
    assert "identity.E001" not in {error.id for error in identity_settings(None)}


def test_checks_refuse_test_identification_in_production(settings):
    settings.DEBUG = False
    settings.OSALLISTU_IDENTITY_LOCAL_TEST = True
    settings.OSALLISTU_SUOMIFI_ALLOW_UNSIGNED = True
    settings.OSALLISTU_IDENTITY_METHODS = ["suomifi", "bankid"]
    ids = {error.id for error in identity_settings(None)}
    assert {"identity.E002", "identity.E003", "identity.E004"} <= ids
    settings.OSALLISTU_IDENTITY_LOCAL_TEST = False
    settings.OSALLISTU_SUOMIFI_ALLOW_UNSIGNED = False
    settings.OSALLISTU_IDENTITY_METHODS = ["suomifi"]
    ids = {error.id for error in identity_settings(None)}
    assert not {"identity.E002", "identity.E003", "identity.E004"} & ids
