import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from osallistu.budgeting.models import BudgetArea, BudgetingSettings
from osallistu.identity.claims import IdentityClaims, Method
from osallistu.identity.models import EligibilityRecord
from osallistu.identity.selectors import eligible_areas
from osallistu.identity.services import create_desk_record, establish_eligibility

from .helpers import make_hetu

pytestmark = pytest.mark.django_db
JUNE = datetime.date(2026, 6, 15)


def claims(born=datetime.date(1990, 1, 1), municipality="297", postal="70100", **kwargs):
    return IdentityClaims(
        method=Method.LOCAL_TEST,
        national_id=make_hetu(born),
        municipality_code=municipality,
        postal_code=postal,
        **kwargs,
    )


def refused(process, identity, on=JUNE) -> str:
    with pytest.raises(ValidationError) as caught:
        establish_eligibility(process, identity, on=on)
    return caught.value.code


def test_record_keeps_minimal_data(process):
    record = establish_eligibility(process, claims(), on=JUNE)
    assert record.municipality_code == "297"
    assert record.postal_code == "70100"
    assert record.age_group == "30-64"
    assert record.method == Method.LOCAL_TEST
    assert not record.is_self_declared
    assert len(record.digest) == 64
    again = establish_eligibility(process, claims(postal="70110"), on=JUNE)
    assert again.pk == record.pk
    assert EligibilityRecord.objects.count() == 1


def test_age_at_year_end_by_default(process):
    turns_12_in_december = datetime.date(2014, 12, 31)
    assert establish_eligibility(process, claims(turns_12_in_december), on=JUNE)
    assert refused(process, claims(datetime.date(2015, 1, 1))) == "too_young"


def test_age_on_casting_day(process):
    BudgetingSettings.objects.filter(process=process).update(
        age_reference=BudgetingSettings.AgeReference.CASTING_DAY, min_age=15
    )
    process.refresh_from_db()
    assert refused(process, claims(datetime.date(2011, 6, 16))) == "too_young"
    record = establish_eligibility(process, claims(datetime.date(2011, 6, 15)), on=JUNE)
    assert record.age_group == "13-17"


def test_turku_resident_is_refused_in_kuopio(process):
    assert refused(process, claims(municipality="853", postal="20006")) == "wrong_municipality"
    assert not EligibilityRecord.objects.exists()


def test_wrong_municipality_message_names_home_municipality(process):
    with pytest.raises(ValidationError) as caught:
        establish_eligibility(process, claims(municipality="853", postal="20006"), on=JUNE)
    error = caught.value
    message = error.message % error.params
    assert "kunnan Kuopio asukkaat" not in message
    with translation.override("en"):
        english = str(error.message) % error.params
    assert english == "Only people whose home municipality is Kuopio can vote in this vote."


def test_residence_by_postal_code_only_where_required(process):
    assert establish_eligibility(process, claims(postal="70840"), on=JUNE)
    BudgetingSettings.objects.filter(process=process).update(require_residence=True)
    process.refresh_from_db()
    other = claims(born=datetime.date(1980, 2, 2), postal="70840")
    assert refused(process, other) == "not_resident_in_area"
    record = establish_eligibility(process, claims(datetime.date(1980, 3, 3)), on=JUNE)
    BudgetArea.objects.create(
        process=process, name="Muu", slug="muu", budget=1000, postal_codes=["70840"]
    )
    assert [area.slug for area in eligible_areas(record)] == ["testilahio"]


def test_own_area_rejects_unknown_postal_code(process):
    # Two areas, each resident votes in their own: a postal code in neither leaves no ballot.
    BudgetArea.objects.create(
        process=process, name="Toinen", slug="toinen", budget=1000, postal_codes=["70840"]
    )
    assert refused(process, claims(postal="70780")) == "not_resident_in_area"
    record = establish_eligibility(process, claims(postal="70840"), on=JUNE)
    assert [area.slug for area in eligible_areas(record)] == ["toinen"]


def test_any_area_admits_unknown_postal_code(process):
    BudgetArea.objects.create(
        process=process, name="Toinen", slug="toinen", budget=1000, postal_codes=["70840"]
    )
    BudgetingSettings.objects.filter(process=process).update(
        area_choice=BudgetingSettings.AreaChoice.ANY_ONE_AREA
    )
    process.refresh_from_db()
    record = establish_eligibility(process, claims(postal="70780"), on=JUNE)
    assert [area.slug for area in eligible_areas(record)] == ["testilahio", "toinen"]


def test_security_denial_sent_to_desk(process):
    denied = claims(municipality="", postal="", security_denial=True)
    assert refused(process, denied) == "security_denial"
    assert refused(process, claims(municipality="")) == "missing_municipality"


def test_pupil_admitted_by_school_year(process):
    pupil = IdentityClaims(
        method=Method.SCHOOL,
        issuer="https://mpass.test",
        subject="p1",
        class_level=7,
        municipality_code="297",
    )
    record = establish_eligibility(process, pupil, on=JUNE)
    assert record.age_group == ""
    young = IdentityClaims(
        method=Method.SCHOOL,
        issuer="https://mpass.test",
        subject="p2",
        class_level=6,
        municipality_code="297",
    )
    assert refused(process, young) == "too_young"
    nameless = IdentityClaims(method=Method.SCHOOL, class_level=9, municipality_code="297")
    assert refused(process, nameless) == "missing_identifier"


def test_desk_record_self_declared(process, coordinator, resident):
    number = make_hetu(datetime.date(1970, 7, 7))
    with pytest.raises(PermissionDenied):
        create_desk_record(resident, process, number, "297", "70100", on=JUNE)
    record = create_desk_record(coordinator, process, number, "297", "70100", on=JUNE)
    assert record.is_self_declared
    assert record.method == Method.DESK
    assert record.created_by == coordinator
    online = IdentityClaims(
        method=Method.SUOMIFI, national_id=number.lower(), municipality_code="297"
    )
    assert establish_eligibility(process, online, on=JUNE).pk == record.pk


def test_desk_refuses_an_invalid_number(process, coordinator):
    with pytest.raises(ValidationError) as caught:
        create_desk_record(coordinator, process, "070770-902X", "297", "70100", on=JUNE)
    assert caught.value.code == "invalid_national_id"


def test_age_group_keys_match_turnout_groups():
    from osallistu.core.age_groups import configured_age_groups
    from osallistu.identity.services import age_group

    keys = {group.key for group in configured_age_groups()}

    assert age_group(12) in keys
    assert age_group(40) in keys
    assert age_group(90) == "65+"
