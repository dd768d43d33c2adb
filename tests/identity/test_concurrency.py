import datetime
import threading

import pytest
from django.db import connection

from osallistu.identity.claims import IdentityClaims, Method
from osallistu.identity.models import EligibilityRecord
from osallistu.identity.services import establish_eligibility

from .helpers import make_hetu


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_identifications_make_one_record(process):
    number = make_hetu(datetime.date(1985, 4, 4))
    barrier = threading.Barrier(4)
    record_ids, errors = [], []

    def identify(method):
        claims = IdentityClaims(
            method=method, national_id=number, municipality_code="297", postal_code="70100"
        )
        try:
            barrier.wait(timeout=30)
            record_ids.append(establish_eligibility(process, claims).pk)
        except Exception as error:  # reported by the assert below
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=identify, args=(method,))
        for method in (Method.SUOMIFI, Method.OIDC, Method.LOCAL_TEST, Method.DESK)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(record_ids) == 4
    assert len(set(record_ids)) == 1
    assert EligibilityRecord.objects.filter(process=process).count() == 1
