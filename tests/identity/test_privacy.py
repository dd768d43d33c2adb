"""The national identification number of a signed-in voter is kept nowhere.

The voter signs in through the Suomi.fi callback with the stored test response, accepted unsigned
only because OSALLISTU_SUOMIFI_ALLOW_UNSIGNED is on here, as docs/identification.md describes for
tests. Then every table, the session, every cache entry, every log record and every email is
searched for the number in each of its written forms.
"""

import base64
import json
import logging
import pickle

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.cache import cache
from django.db import connection

from osallistu.budgeting.models import BudgetingSettings
from osallistu.identity.adapters.suomifi import acs_url
from osallistu.identity.models import EligibilityRecord

from . import saml_helpers as saml
from .test_suomifi import BALLOT, begin, callback

pytestmark = pytest.mark.django_db(transaction=False)
FORMS = ("210281-9988", "2102819988", "210281-9988".lower(), "210281 9988")


def assert_absent(text: str, where: str) -> None:
    for form in FORMS:
        assert form not in text, f"{form} found in {where}"


def all_table_rows() -> dict[str, list]:
    rows = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = cursor.fetchall()
    return rows


def readable(value) -> str:
    """Return a value as text, with base64 and pickled contents opened up."""
    if isinstance(value, memoryview):
        value = value.tobytes()
    text = value.decode(errors="replace") if isinstance(value, bytes) else str(value)
    try:
        raw = base64.b64decode(text, validate=True)
    except ValueError:
        return text
    try:
        return text + repr(pickle.loads(raw))
    except Exception:
        return text + raw.decode(errors="replace")


@pytest.fixture
def stored_response_settings(settings, tmp_path):
    sp_key, sp_cert = saml.make_key_pair(tmp_path, "sp")
    settings.OSALLISTU_IDENTITY_LOCAL_TEST = False
    settings.OSALLISTU_IDENTITY_METHODS = ["suomifi"]
    settings.OSALLISTU_SUOMIFI_SP_ENTITY_ID = saml.SP_ENTITY_ID
    settings.OSALLISTU_SUOMIFI_SP_KEY_FILE = str(sp_key)
    settings.OSALLISTU_SUOMIFI_SP_CERT_FILE = str(sp_cert)
    settings.OSALLISTU_SUOMIFI_IDP_METADATA_FILE = str(saml.TEST_IDP_METADATA)
    # The tests' relaxation: the stored response is unsigned (check identity.E003 in production).
    settings.OSALLISTU_SUOMIFI_ALLOW_UNSIGNED = True
    return settings


def test_stored_suomifi_sign_in_leaves_the_number_nowhere(
    client, process, stored_response_settings, caplog
):
    caplog.set_level(logging.DEBUG)
    BudgetingSettings.objects.filter(process=process).update(municipality_code="853")
    mail.outbox.clear()
    request_id = begin(client, process)
    answer = callback(client, saml.fresh_response(request_id, acs_url()))
    assert answer.status_code == 302
    assert answer["Location"] == BALLOT
    assert EligibilityRecord.objects.count() == 1

    rows = all_table_rows()
    assert rows["identity_eligibilityrecord"]
    assert_absent(readable(rows), "the database")
    for table in ("django_session", "osallistu_cache"):
        for row in rows.get(table, []):
            assert_absent(" ".join(readable(value) for value in row), table)
    for stored in SessionStore.get_model_class().objects.all():
        assert_absent(json.dumps(stored.get_decoded()), "a stored session")
    assert_absent(json.dumps(dict(client.session.items())), "the session")
    assert_absent(repr(cache.get("identity:saml:" + request_id)), "the cache")
    assert caplog.records
    for record in caplog.records:
        assert_absent(record.getMessage() + repr(record.args), f"log record {record.name}")
    for message in mail.outbox:
        assert_absent(message.message().as_string(), "an email")


def test_search_finds_the_number_where_it_is(client, process, stored_response_settings):
    """Guard the search itself: a number that is stored is found."""
    cache.set("identity:probe", {"x": "210281-9988"})
    with pytest.raises(AssertionError):
        for table, rows in all_table_rows().items():
            for row in rows:
                assert_absent(" ".join(readable(value) for value in row), table)
