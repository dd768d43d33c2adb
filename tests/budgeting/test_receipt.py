"""Receipt codes: the check shows only the day, replacement with the code, hashes after close."""

import datetime
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from osallistu.budgeting import receipts, services
from osallistu.budgeting.models import Ballot, BudgetingSettings, ParticipationRecord, Receipt
from osallistu.participation.models import Channel, Phase

from .test_voting import _CODE, _REVIEW_TOKEN, _url
from .voting import identify, make_record, make_staff, project_ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def process(make_process):
    process = make_process(budget=50000, projects=[20000, 15000, 6000, 30000])
    BudgetingSettings.objects.create(process=process, allow_replacement=True)
    return process


def _check(client, process, code):
    return client.post(reverse("budgeting:receipt_check", args=[process.slug]), {"code": code})


def _choices(ballot) -> set[int]:
    return set(ballot.choices.values_list("project_id", flat=True))


def test_code_normalised():
    code = receipts.new_code()
    assert receipts.normalise(receipts.display(code).lower()) == code
    assert receipts.normalise("O1IL-" + code[4:]) == "0111" + code[4:]
    assert receipts.normalise("too short") is None
    assert receipts.normalise("U" * 16) is None


def test_receipt_check_shows_day_only(client, process, today):
    area = process.budget_areas.get()
    receipt = services.cast_ballot(make_record(process), area, project_ids(process)[:1])

    response = _check(client, process, receipts.display(receipt.code).lower())

    assert response.context["receipt"] == receipt
    content = response.content.decode()
    assert today.strftime("%-d.%-m.%Y") in content
    for project in area.projects.all():
        assert project.title not in content
    assert "20\xa0000" not in content


def test_receipt_check_unknown_code(client, process):
    response = _check(client, process, receipts.display(receipts.new_code()))
    assert response.context["checked"]
    assert response.context["receipt"] is None


def test_receipt_check_malformed_code(client, process):
    response = _check(client, process, "ABC")
    assert not response.context["checked"]
    assert response.context["form"].errors.as_data()["code"][0].code == "invalid_code"


def test_receipt_check_other_process(client, process, make_process):
    other = make_process(slug="toinen", projects=[1000])
    receipt = services.cast_ballot(make_record(other), other.budget_areas.get(), project_ids(other))
    response = _check(client, process, receipt.code)
    assert response.context["receipt"] is None


def test_replace_keeps_newest_only(process):
    area = process.budget_areas.get()
    record = make_record(process)
    ids = project_ids(process)
    first = services.cast_ballot(record, area, ids[:1])

    second = services.replace_ballot(record, first.code, area, ids[1:3])

    ballot = Ballot.objects.get()
    assert _choices(ballot) == set(ids[1:3])
    assert Receipt.objects.get(pk=first.pk).superseded
    assert not Receipt.objects.get(pk=second.pk).superseded
    assert ParticipationRecord.objects.count() == 1
    assert second.code != first.code


def test_replace_with_old_code_rejected(process):
    area = process.budget_areas.get()
    record = make_record(process)
    ids = project_ids(process)
    first = services.cast_ballot(record, area, ids[:1])
    services.replace_ballot(record, first.code, area, ids[1:2])
    with pytest.raises(ValidationError) as error:
        services.replace_ballot(record, first.code, area, ids[2:3])
    assert error.value.code == "wrong_code"
    assert _choices(Ballot.objects.get()) == set(ids[1:2])


def test_replace_with_other_voters_code(process):
    area = process.budget_areas.get()
    ids = project_ids(process)
    mine = make_record(process)
    services.cast_ballot(mine, area, ids[:1])
    theirs = services.cast_ballot(make_record(process), area, ids[1:2])
    with pytest.raises(ValidationError) as error:
        services.replace_ballot(mine, theirs.code, area, ids[2:3])
    assert error.value.code == "wrong_code"
    assert Ballot.objects.count() == 2


def test_replace_not_allowed_by_process(process):
    process.budgeting_settings.allow_replacement = False
    process.budgeting_settings.save()
    area = process.budget_areas.get()
    record = make_record(process)
    first = services.cast_ballot(record, area, project_ids(process)[:1])
    with pytest.raises(PermissionDenied):
        services.replace_ballot(record, first.code, area, project_ids(process)[1:2])


def test_assisted_ballot_final(process, django_user_model):
    area = process.budget_areas.get()
    record = make_record(process)
    staff = make_staff(django_user_model, process)
    first = services.cast_ballot(
        record, area, project_ids(process)[:1], Channel.ASSISTED, staff_user=staff
    )
    with pytest.raises(ValidationError) as error:
        services.replace_ballot(record, first.code, area, project_ids(process)[1:2])
    assert error.value.code == "final"
    assert _choices(Ballot.objects.get()) == set(project_ids(process)[:1])


def test_replace_breaking_rule_keeps_old(process):
    area = process.budget_areas.get()
    record = make_record(process)
    ids = project_ids(process)
    first = services.cast_ballot(record, area, ids[:1])
    with pytest.raises(ValidationError) as error:
        services.replace_ballot(record, first.code, area, ids)
    assert [e.code for e in error.value.error_list] == ["over_budget"]
    assert _choices(Ballot.objects.get()) == set(ids[:1])
    assert not Receipt.objects.get().superseded


def test_replace_through_web(client, process):
    record = make_record(process)
    identify(client, record)
    area = process.budget_areas.get()
    ids = project_ids(process)
    first = services.cast_ballot(record, area, ids[:1])

    page = client.post(
        reverse("budgeting:ballot_replace", args=[process.slug]), {"code": first.code.lower()}
    )
    content = page.content.decode()
    assert 'name="receipt_code"' in content
    # The ballot form posts to the area's ballot, not back to the code page that rendered it.
    assert f'action="{_url(process)}"' in content
    review = client.post(
        _url(process), {"action": "review", "projects": ids[1:3], "receipt_code": first.code}
    )
    token = _REVIEW_TOKEN.search(review.content.decode()).group(1)
    done = client.post(_url(process), {"action": "cast", "review": token})

    new_code = _CODE.search(done.content.decode()).group(1)
    assert receipts.normalise(new_code) != first.code
    assert _choices(Ballot.objects.get()) == set(ids[1:3])
    assert Receipt.objects.get(pk=first.pk).superseded


def test_replace_page_wrong_code(client, process):
    record = make_record(process)
    identify(client, record)
    services.cast_ballot(record, process.budget_areas.get(), project_ids(process)[:1])
    response = client.post(
        reverse("budgeting:ballot_replace", args=[process.slug]),
        {"code": receipts.new_code()},
    )
    assert 'name="receipt_code"' not in response.content.decode()
    assert "code" in response.context["form"].errors


def test_replaced_receipt_check_hides_replacement(client, process):
    # Someone who pressured the voter and has the old code must not learn of the replacement.
    record = make_record(process)
    area = process.budget_areas.get()
    first = services.cast_ballot(record, area, project_ids(process)[:1])
    second = services.replace_ballot(record, first.code, area, project_ids(process)[1:2])
    url = "/en" + reverse("budgeting:receipt_check", args=[process.slug])
    with translation.override("en"):
        old = client.post(url, {"code": first.code}).content.decode()
        new = client.post(url, {"code": second.code}).content.decode()
    assert "was received on" in old
    assert "replaced" not in old
    assert _result_text(old) == _result_text(new)


def _result_text(page: str) -> str:
    result = page[page.index('id="receipt-result"') :]
    return result[: result.index("</div>")]


def _close_voting(process, today):
    process.phases.filter(kind=Phase.Kind.VOTING).update(
        starts_on=today - datetime.timedelta(days=5), ends_on=today - datetime.timedelta(days=1)
    )


def test_hashes_hidden_while_open(client, process):
    services.cast_ballot(make_record(process), process.budget_areas.get(), project_ids(process)[:1])
    response = client.get(reverse("budgeting:receipt_hashes", args=[process.slug]))
    assert response.context["hashes"] == []
    json_response = client.get(reverse("budgeting:receipt_hashes_json", args=[process.slug]))
    assert json_response.status_code == 404


def test_hashes_published_after_close(client, process, today):
    area = process.budget_areas.get()
    ids = project_ids(process)
    record = make_record(process)
    replaced = services.cast_ballot(record, area, ids[:1])
    counted = [
        services.replace_ballot(record, replaced.code, area, ids[1:2]),
        services.cast_ballot(make_record(process), area, ids[2:3]),
    ]
    _close_voting(process, today)

    data = client.get(reverse("budgeting:receipt_hashes_json", args=[process.slug])).json()

    expected = sorted(hashlib.sha256(r.code.encode()).hexdigest() for r in counted)
    assert data["hashes"] == expected
    assert data["algorithm"] == "sha256"
    page = client.get(reverse("budgeting:receipt_hashes", args=[process.slug]))
    content = page.content.decode()
    for value in expected:
        assert value in content
    assert hashlib.sha256(replaced.code.encode()).hexdigest() not in content


def test_receipt_check_rate_limited(client, process, monkeypatch):
    from django.core.cache import cache

    from osallistu.budgeting import views

    cache.clear()
    monkeypatch.setattr(views, "RECEIPT_CHECK_LIMIT", 2)
    code = receipts.display(receipts.new_code())
    for _attempt in range(2):
        assert _check(client, process, code).context["checked"]

    with translation.override("en"):
        response = _check(client, process, code)

    assert not response.context["checked"]
    assert response.context["receipt"] is None
    errors = response.context["form"].non_field_errors()
    assert "Too many receipt checks" in errors[0]
    cache.clear()
