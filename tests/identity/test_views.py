import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from osallistu.budgeting.models import BudgetArea, BudgetingSettings
from osallistu.identity.models import EligibilityRecord
from osallistu.identity.selectors import SESSION_KEY
from osallistu.participation.models import Phase

pytestmark = pytest.mark.django_db

BALLOT = "/processes/testi/vote/"


@pytest.fixture
def local_test(settings):
    settings.OSALLISTU_IDENTITY_LOCAL_TEST = True
    settings.OSALLISTU_IDENTITY_METHODS = []
    settings.OSALLISTU_ASSISTED_VOTING_URL = "https://www.kuopio.fi/aanestyspaikat"


def start_url(process):
    return reverse("identity:start", kwargs={"process_slug": process.slug})


def choose_local_test(client, process, next_url=BALLOT):
    answer = client.post(start_url(process), {"method": "local_test", "next": next_url})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("identity:local_test")


def test_start_page_offers_enabled_methods_only(client, process, local_test, settings):
    page = client.get(start_url(process), {"next": BALLOT})
    assert page.status_code == 200
    assert b'value="local_test"' in page.content
    assert b'value="suomifi"' not in page.content
    assert f'value="{BALLOT}"'.encode() in page.content
    settings.OSALLISTU_IDENTITY_LOCAL_TEST = False
    settings.OSALLISTU_IDENTITY_METHODS = ["local_test"]
    page = client.get(start_url(process))
    assert b'value="local_test"' not in page.content
    assert client.post(start_url(process), {"method": "local_test"}).status_code == 200
    assert client.get(reverse("identity:local_test")).status_code == 404


def test_local_test_identification_stores_only_the_record_id(client, process, local_test):
    choose_local_test(client, process)
    form = client.get(reverse("identity:local_test"))
    assert form.status_code == 200
    answer = client.post(
        reverse("identity:local_test"),
        {"national_id": "210281-9988", "municipality_code": "297", "postal_code": "70100"},
    )
    assert answer.status_code == 302
    assert answer["Location"] == BALLOT
    record = EligibilityRecord.objects.get()
    assert client.session[SESSION_KEY] == {str(process.pk): record.pk}


def test_foreign_next_is_replaced_by_the_process_page(client, process, local_test):
    choose_local_test(client, process, next_url="https://evil.example/")
    answer = client.post(
        reverse("identity:local_test"),
        {"national_id": "210281-9988", "municipality_code": "297", "postal_code": "70100"},
    )
    assert answer["Location"] == reverse("participation:process_detail", args=[process.slug])


def test_local_test_form_keeps_input_and_refuses_real_looking_codes(client, process, local_test):
    choose_local_test(client, process)
    page = client.post(
        reverse("identity:local_test"),
        {"national_id": "131052-308T", "municipality_code": "29", "postal_code": "70100"},
    )
    assert page.status_code == 200
    errors = page.context["form"].errors.as_data()
    assert errors["national_id"][0].code == "not_a_test_code"
    assert "municipality_code" in errors
    assert b'value="70100"' in page.content
    assert not EligibilityRecord.objects.exists()


def test_local_test_page_needs_a_pending_identification(client, local_test):
    assert client.get(reverse("identity:local_test")).status_code == 400


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"municipality_code": "853", "postal_code": "20100"}, "wrong_municipality"),
        ({"municipality_code": "297", "security_denial": "on"}, "security_denial"),
    ],
)
def test_refusals_explain_and_link_to_assisted_voting(client, process, local_test, data, code):
    choose_local_test(client, process)
    page = client.post(reverse("identity:local_test"), {"national_id": "210281-9988", **data})
    assert page.status_code == 403
    assert page.context["code"] == code
    assert b"https://www.kuopio.fi/aanestyspaikat" in page.content
    assert SESSION_KEY not in client.session
    assert not EligibilityRecord.objects.exists()


def test_refusal_messages_are_translated(client, process, local_test):
    with translation.override("en"):
        choose_local_test(client, process)
        page = client.post(
            reverse("identity:local_test"),
            {"national_id": "210281-9988", "municipality_code": "297", "security_denial": "on"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert b"security denial" in page.content


def test_unknown_process_and_unknown_callback_are_not_found(client, local_test, process):
    assert client.get("/identity/nothing/start/").status_code == 404
    assert client.get(reverse("identity:callback", args=["suomifi"])).status_code == 404


def test_start_page_shows_area_postal_codes_when_residence_counts(
    client, process, local_test, django_assert_max_num_queries
):
    assert client.get(start_url(process)).context["residence_areas"] is None
    BudgetingSettings.objects.filter(process=process).update(require_residence=True)
    with django_assert_max_num_queries(8):
        page = client.get(start_url(process))
    assert "70100, 70110" in page.content.decode()


def test_start_page_lists_own_area_codes(client, process, local_test):
    # With two areas and "own area only", the postal code decides the area, so voters see them.
    BudgetArea.objects.create(
        process=process, name="Toinen", slug="toinen", budget=1000, postal_codes=["70840"]
    )
    page = client.get(start_url(process)).content.decode()
    assert "70100, 70110" in page
    assert "70840" in page


def test_error_reports_hide_the_identity_code(rf, local_test):
    from django.views.debug import SafeExceptionReporterFilter

    from osallistu.identity import views

    request = rf.post("/identity/test-provider/", {"national_id": "210281-9988"})
    request.session = {}
    assert views.local_test(request).status_code == 400
    cleaned = SafeExceptionReporterFilter().get_post_parameters(request)
    assert "9988" not in cleaned["national_id"]


def test_start_page_closed_vote_offers_nothing(client, process, local_test):
    # Voting ended weeks ago and evaluation runs, so no one can vote online.
    today = timezone.localdate()
    process.phases.filter(kind=Phase.Kind.VOTING).update(
        starts_on=today - datetime.timedelta(days=30), ends_on=today - datetime.timedelta(days=20)
    )
    with translation.override("en"):
        page = client.get(start_url(process), {"next": BALLOT})
        receipt_check = reverse("budgeting:receipt_check", args=[process.slug])
    content = page.content.decode()
    assert page.status_code == 200
    assert "Voting is not open in this process." in content
    assert 'value="local_test"' not in content
    assert f'href="{receipt_check}"' in content
    answer = client.post(start_url(process), {"method": "local_test", "next": BALLOT})
    assert answer.status_code == 200
    assert answer.context["adapters"] == []


def test_start_page_offers_no_methods_before_voting(client, process, local_test):
    today = timezone.localdate()
    process.phases.filter(kind=Phase.Kind.VOTING).update(
        starts_on=today + datetime.timedelta(days=10), ends_on=today + datetime.timedelta(days=20)
    )
    page = client.get(start_url(process))
    assert not page.context["voting_is_open"]
    assert b'value="local_test"' not in page.content
    assert client.post(start_url(process), {"method": "local_test"}).status_code == 200
