"""Development themes: staff drafts, residents' suggestions, and decisions with public reasons."""

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from osallistu.accounts.models import RoleAssignment
from osallistu.areas.models import Suburb
from osallistu.moderation.models import AccountBlock
from osallistu.moderation.services import POSTING_LIMIT
from osallistu.notifications.models import Notification
from osallistu.participation import services
from osallistu.participation.models import Idea, Phase, Theme, Visibility

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Run each test in English, so that reverse() gives /en/ pages whose text tests can match."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def local_cache(settings):
    """Count posting limits in memory: the site's database cache needs `createcachetable`."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def process(make_process):
    return make_process(current=Phase.Kind.IDEATION, slug="ideointi")


@pytest.fixture
def coordinator(django_user_model):
    user = django_user_model.objects.create_user(email="koordinaattori@example.fi")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR)
    return user


def _theme(process, title, status=Theme.Status.ACCEPTED, **fields) -> Theme:
    return Theme.objects.create(process=process, title=title, status=status, **fields)


def _url(name, process, *args) -> str:
    return reverse(f"participation:{name}", args=[process.slug, *args])


# --- Services ---------------------------------------------------------------------------------


def test_draft_is_accepted(coordinator, process):
    theme = services.theme_draft(
        coordinator,
        process=process,
        title="  Palveluiden saavutettavuus  ",
        description="Työttömyysaste on kaupungin korkein.",
    )

    assert theme.status == Theme.Status.ACCEPTED
    assert theme.title == "Palveluiden saavutettavuus"
    assert theme.suggested_by is None
    assert theme.decided_at is not None


def test_draft_needs_manager(resident, process):
    with pytest.raises(PermissionDenied):
        services.theme_draft(resident, process=process, title="Infrastruktuuri")

    assert not Theme.objects.exists()


def test_draft_outside_scope(django_user_model, process):
    own, other = (
        Suburb.objects.create(name="Neulamäki", slug="neulamaki"),
        Suburb.objects.create(name="Jynkkä", slug="jynkka"),
    )
    process.suburbs.set([other])
    user = django_user_model.objects.create_user(email="alue@example.fi")
    RoleAssignment.objects.create(user=user, role=RoleAssignment.Role.COORDINATOR, suburb=own)

    with pytest.raises(PermissionDenied):
        services.theme_draft(user, process=process, title="Infrastruktuuri")


def test_draft_allowed_between_phases(coordinator, make_process):
    process = make_process(current="none", slug="tauko")

    theme = services.theme_draft(coordinator, process=process, title="Infrastruktuuri")

    assert theme.status == Theme.Status.ACCEPTED


def test_suggest_waits_for_decision(resident, process):
    theme = services.theme_suggest(
        resident, process=process, title="Asukastoiminta", description="Oma tila puuttuu."
    )

    assert theme.status == Theme.Status.SUGGESTED
    assert theme.suggested_by == resident
    assert theme.decided_at is None


@pytest.mark.parametrize("phase", [Phase.Kind.EVALUATION, Phase.Kind.VOTING])
def test_suggest_closed_in_phase(phase, resident, make_process):
    process = make_process(current=phase, slug="suljettu")

    with pytest.raises(PermissionDenied, match="cannot be suggested in this phase"):
        services.theme_suggest(resident, process=process, title="Teema", description="Kuvaus")


def test_suggest_needs_sign_in(process):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied, match="Sign in"):
        services.theme_suggest(
            AnonymousUser(), process=process, title="Teema", description="Kuvaus"
        )


def test_suggest_blocked_account(resident, other_resident, process):
    AccountBlock.objects.create(user=resident, reason="Häiriköinti", blocked_by=other_resident)

    with pytest.raises(PermissionDenied, match="blocked"):
        services.theme_suggest(resident, process=process, title="Teema", description="Kuvaus")


@pytest.mark.parametrize(
    ("title", "description", "field", "code"),
    [
        ("", "Kuvaus", "title", "required"),
        ("   ", "Kuvaus", "title", "required"),
        ("Teema", "  ", "description", "required"),
        ("x" * 151, "Kuvaus", "title", "max_length"),
        ("Teema", "x" * 5001, "description", "max_length"),
        ("<b>Teema</b>", "Kuvaus", "title", "html"),
        ("Teema", "<script>alert(1)</script>", "description", "html"),
    ],
)
def test_suggest_rejects_bad_text(title, description, field, code, resident, process):
    with pytest.raises(ValidationError) as raised:
        services.theme_suggest(resident, process=process, title=title, description=description)

    assert raised.value.error_dict[field][0].code == code
    assert not Theme.objects.exists()


def test_suggest_rejects_duplicate(resident, process):
    _theme(process, "Palveluiden saavutettavuus")

    with pytest.raises(ValidationError) as raised:
        services.theme_suggest(
            resident, process=process, title="PALVELUIDEN saavutettavuus", description="Kuvaus"
        )

    assert raised.value.error_dict["title"][0].code == "duplicate"


def test_declined_title_suggested_again(resident, process):
    _theme(process, "Uimahalli", status=Theme.Status.DECLINED, public_reason="Ei rahoitusta.")

    theme = services.theme_suggest(
        resident, process=process, title="Uimahalli", description="Uusi perustelu."
    )

    assert theme.status == Theme.Status.SUGGESTED


def test_suggest_rate_limited(resident, process):
    for number in range(POSTING_LIMIT):
        services.theme_suggest(
            resident, process=process, title=f"Teema {number}", description="Kuvaus"
        )

    with pytest.raises(ValidationError) as raised:
        services.theme_suggest(resident, process=process, title="Yksi liikaa", description="x")

    assert raised.value.code == "rate_limited"
    assert Theme.objects.count() == POSTING_LIMIT


def test_accept_with_reason(coordinator, resident, process):
    theme = _theme(process, "Asukastoiminta", Theme.Status.SUGGESTED, suggested_by=resident)

    decided = services.theme_decide(
        coordinator, theme, decision="accept", reason="Tarve näkyy kyselyssä."
    )

    theme.refresh_from_db()
    assert decided.status == theme.status == Theme.Status.ACCEPTED
    assert theme.public_reason == "Tarve näkyy kyselyssä."
    assert theme.decided_at is not None


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_decision_needs_reason(reason, coordinator, process):
    theme = _theme(process, "Asukastoiminta", Theme.Status.SUGGESTED)

    with pytest.raises(ValidationError) as raised:
        services.theme_decide(coordinator, theme, decision="decline", reason=reason)

    assert raised.value.error_dict["reason"][0].code == "required"
    theme.refresh_from_db()
    assert theme.status == Theme.Status.SUGGESTED


def test_decision_needs_manager(resident, process):
    theme = _theme(process, "Asukastoiminta", Theme.Status.SUGGESTED, suggested_by=resident)

    with pytest.raises(PermissionDenied):
        services.theme_decide(resident, theme, decision="accept", reason="Oma ehdotus.")

    theme.refresh_from_db()
    assert theme.status == Theme.Status.SUGGESTED


def test_decline_with_reason(coordinator, process):
    theme = _theme(process, "Uimahalli", Theme.Status.SUGGESTED)

    services.theme_decide(
        coordinator, theme, decision="decline", reason="Kuuluu kaupungin investointeihin."
    )

    theme.refresh_from_db()
    assert theme.status == Theme.Status.DECLINED
    assert theme.public_reason == "Kuuluu kaupungin investointeihin."


def test_merge_moves_ideas(coordinator, resident, process):
    target = _theme(process, "Palveluiden saavutettavuus")
    theme = _theme(process, "Kirjastoauto", Theme.Status.SUGGESTED)
    earlier = _theme(
        process, "Lähikauppa", Theme.Status.MERGED, merged_into=theme, public_reason="Sama asia."
    )
    ideas = [
        Idea.objects.create(process=process, theme=theme, title=f"Idea {n}", description="x")
        for n in range(3)
    ]
    untouched = Idea.objects.create(process=process, title="Ilman teemaa", description="x")

    services.theme_decide(
        coordinator,
        theme,
        decision="merge",
        merge_into=target,
        reason="Kirjastoauto on osa palveluiden saavutettavuutta.",
    )

    theme.refresh_from_db()
    assert theme.status == Theme.Status.MERGED
    assert theme.merged_into == target
    assert {idea.theme_id for idea in Idea.objects.filter(pk__in=[i.pk for i in ideas])} == {
        target.pk
    }
    untouched.refresh_from_db()
    assert untouched.theme_id is None
    earlier.refresh_from_db()
    assert earlier.merged_into == target


def test_merge_accepted_theme(coordinator, process):
    target = _theme(process, "Infrastruktuuri ja sen ylläpito")
    theme = _theme(process, "Katujen kunnossapito")
    idea = Idea.objects.create(process=process, theme=theme, title="Auraus", description="x")

    services.theme_decide(
        coordinator, theme, decision="merge", merge_into=target, reason="Päällekkäiset teemat."
    )

    idea.refresh_from_db()
    assert idea.theme == target


@pytest.mark.parametrize("target_kind", ["missing", "itself", "suggested", "other_process"])
def test_merge_rejects_target(target_kind, coordinator, process, make_process):
    theme = _theme(process, "Kirjastoauto", Theme.Status.SUGGESTED)
    idea = Idea.objects.create(process=process, theme=theme, title="Idea", description="x")
    targets = {
        "missing": None,
        "itself": theme,
        "suggested": _theme(process, "Toinen ehdotus", Theme.Status.SUGGESTED),
        "other_process": _theme(make_process(slug="toinen"), "Vieras teema"),
    }

    with pytest.raises(ValidationError) as raised:
        services.theme_decide(
            coordinator,
            theme,
            decision="merge",
            merge_into=targets[target_kind],
            reason="Perustelu.",
        )

    assert "merge_into" in raised.value.error_dict
    theme.refresh_from_db()
    assert theme.status == Theme.Status.SUGGESTED
    idea.refresh_from_db()
    assert idea.theme == theme


@pytest.mark.parametrize(
    ("status", "decision"),
    [
        (Theme.Status.DECLINED, "accept"),
        (Theme.Status.MERGED, "decline"),
        (Theme.Status.ACCEPTED, "decline"),
        (Theme.Status.ACCEPTED, "accept"),
    ],
)
def test_decision_not_open(status, decision, coordinator, process):
    target = _theme(process, "Kohde")
    merged_into = target if status == Theme.Status.MERGED else None
    theme = _theme(process, "Päätetty", status, merged_into=merged_into, public_reason="Syy.")

    with pytest.raises(ValidationError) as raised:
        services.theme_decide(coordinator, theme, decision=decision, reason="Uusi syy.")

    assert raised.value.error_dict["decision"][0].code == "invalid_decision"
    theme.refresh_from_db()
    assert theme.status == status
    assert theme.public_reason == "Syy."


def test_unknown_decision(coordinator, process):
    theme = _theme(process, "Ehdotus", Theme.Status.SUGGESTED)

    with pytest.raises(ValidationError) as raised:
        services.theme_decide(coordinator, theme, decision="postpone", reason="Syy.")

    assert raised.value.error_dict["decision"][0].code == "invalid_decision"


def test_suggester_notified(coordinator, resident, process, django_capture_on_commit_callbacks):
    resident.language = "fi"
    resident.save()
    theme = _theme(process, "Asukastoiminta", Theme.Status.SUGGESTED, suggested_by=resident)

    with django_capture_on_commit_callbacks(execute=True):
        services.theme_decide(coordinator, theme, decision="decline", reason="Ei nyt.")

    notification = Notification.objects.get(user=resident)
    assert "Asukastoiminta" in notification.message
    assert notification.url.endswith(f"/processes/{process.slug}/themes/#theme-{theme.pk}")
    assert not Notification.objects.filter(user=coordinator).exists()


def test_failed_decision_notifies_nobody(
    coordinator, resident, process, django_capture_on_commit_callbacks
):
    theme = _theme(process, "Asukastoiminta", Theme.Status.SUGGESTED, suggested_by=resident)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.theme_decide(coordinator, theme, decision="merge", reason="Ei kohdetta.")

    assert not Notification.objects.exists()


# --- Public list ------------------------------------------------------------------------------


def test_list_shows_statuses_and_reasons(client, process):
    accepted = _theme(process, "Palveluiden saavutettavuus", description="Kirjasto on kaukana.")
    _theme(process, "Asukastila", Theme.Status.SUGGESTED, description="Oma tila.")
    _theme(process, "Uimahalli", Theme.Status.DECLINED, public_reason="Ei rahoitusta.")
    _theme(
        process,
        "Kirjastoauto",
        Theme.Status.MERGED,
        merged_into=accepted,
        public_reason="Osa saavutettavuutta.",
    )
    Idea.objects.create(process=process, theme=accepted, title="Idea", description="x")
    Idea.objects.create(
        process=process,
        theme=accepted,
        title="Piilotettu",
        description="x",
        visibility=Visibility.HIDDEN,
    )

    content = client.get(_url("theme_list", process)).content.decode()

    assert "Palveluiden saavutettavuus" in content
    assert "1 idea<" in content
    assert "Asukastila" in content
    assert "Ei rahoitusta." in content
    assert "Merged into “Palveluiden saavutettavuus”" in content
    assert "Osa saavutettavuutta." in content


def test_list_escapes_text(client, process):
    _theme(process, "<script>alert(1)</script>", description="<img src=x onerror=alert(2)>")

    content = client.get(_url("theme_list", process)).content.decode()

    assert "<script>alert(1)</script>" not in content
    assert "<img src=x" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content


def test_list_links_by_role(client, resident, coordinator, process):
    anonymous = client.get(_url("theme_list", process)).content.decode()
    client.force_login(resident)
    as_resident = client.get(_url("theme_list", process)).content.decode()
    client.force_login(coordinator)
    as_coordinator = client.get(_url("theme_list", process)).content.decode()

    suggest, manage = _url("theme_suggest", process), _url("theme_manage", process)
    assert "Sign in to suggest a development theme" in anonymous
    assert manage not in anonymous
    assert f'href="{suggest}"' in as_resident
    assert manage not in as_resident
    assert manage in as_coordinator


def test_premoderation_hides_pending(client, coordinator, process):
    process.premoderation = True
    process.save()
    _theme(process, "Odottava ehdotus", Theme.Status.SUGGESTED)

    public = client.get(_url("theme_list", process)).content.decode()
    client.force_login(coordinator)
    staff = client.get(_url("theme_list", process)).content.decode()

    assert "Odottava ehdotus" not in public
    assert "1 suggestion is waiting for a decision." in public
    assert "Odottava ehdotus" in staff


def test_list_unknown_process(client, db):
    response = client.get(reverse("participation:theme_list", args=["ei-ole"]))

    assert response.status_code == 404


def test_list_query_count_constant(client, process, resident):
    url = _url("theme_list", process)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    targets = [_theme(process, f"Teema {n}") for n in range(20)]
    for n in range(20):
        _theme(process, f"Ehdotus {n}", Theme.Status.SUGGESTED, suggested_by=resident)
        _theme(
            process,
            f"Yhdistetty {n}",
            Theme.Status.MERGED,
            merged_into=targets[n],
            public_reason="Syy.",
        )
        Idea.objects.create(process=process, theme=targets[n], title=f"Idea {n}", description="x")

    with CaptureQueriesContext(connection) as many:
        response = client.get(url)

    assert response.content.decode().count('class="card"') == 60
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Suggestion form --------------------------------------------------------------------------


def test_suggest_form_needs_sign_in(client, process):
    response = client.get(_url("theme_suggest", process))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_suggest_form_closed_in_voting(client, resident, make_process):
    process = make_process(current=Phase.Kind.VOTING, slug="aanestys")
    client.force_login(resident)

    assert client.get(_url("theme_suggest", process)).status_code == 403
    response = client.post(
        _url("theme_suggest", process), {"title": "Teema", "description": "Kuvaus"}
    )
    assert response.status_code == 403
    assert not Theme.objects.exists()


def test_suggest_form_creates(client, resident, process):
    client.force_login(resident)

    response = client.post(
        _url("theme_suggest", process),
        {"title": "Asukastoiminta", "description": "Alueella ei ole kokoontumistilaa."},
    )

    theme = Theme.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{_url('theme_list', process)}#theme-{theme.pk}"
    assert theme.suggested_by == resident
    assert theme.status == Theme.Status.SUGGESTED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "description": "Kuvaus säilyy."}, "Give the theme a title."),
        ({"title": "Otsikko säilyy", "description": ""}, "Tell why the theme matters"),
        ({"title": "<b>Otsikko</b>", "description": "Kuvaus säilyy."}, "contains HTML markup"),
        ({"title": "Otsikko säilyy", "description": "x" * 5001}, "The maximum is 5000"),
    ],
)
def test_suggest_form_keeps_input(data, message, client, resident, process):
    client.force_login(resident)

    response = client.post(_url("theme_suggest", process), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert message in content
    assert 'class="errorlist"' in content
    for value in data.values():
        if value and "<" not in value:
            assert value in content
    assert not Theme.objects.exists()


def test_suggest_form_duplicate_keeps_input(client, resident, process):
    _theme(process, "Palveluiden saavutettavuus")
    client.force_login(resident)

    response = client.post(
        _url("theme_suggest", process),
        {"title": "palveluiden saavutettavuus", "description": "Kuvaus säilyy."},
    )

    content = response.content.decode()
    assert "The process already has a theme called “Palveluiden saavutettavuus”." in content
    assert 'value="palveluiden saavutettavuus"' in content
    assert "Kuvaus säilyy." in content
    assert Theme.objects.count() == 1


# --- Staff pages ------------------------------------------------------------------------------


def test_manage_needs_role(client, resident, process):
    client.force_login(resident)

    assert client.get(_url("theme_manage", process)).status_code == 403
    response = client.post(_url("theme_manage", process), {"title": "Teema"})
    assert response.status_code == 403
    assert not Theme.objects.exists()


def test_manage_needs_sign_in(client, process):
    response = client.get(_url("theme_manage", process))

    assert response.status_code == 302


def test_manage_lists_pending(client, coordinator, process):
    theme = _theme(process, "Odottava ehdotus", Theme.Status.SUGGESTED)
    client.force_login(coordinator)

    content = client.get(_url("theme_manage", process)).content.decode()

    assert "Odottava ehdotus" in content
    assert _url("theme_decide", process, theme.pk) in content


def test_manage_drafts_theme(client, coordinator, process):
    client.force_login(coordinator)

    response = client.post(
        _url("theme_manage", process),
        {"title": "Infrastruktuuri ja sen ylläpito", "description": ""},
    )

    assert response.status_code == 302
    theme = Theme.objects.get()
    assert theme.status == Theme.Status.ACCEPTED
    assert theme.description == ""


def test_manage_draft_keeps_input(client, coordinator, process):
    _theme(process, "Infrastruktuuri")
    client.force_login(coordinator)

    response = client.post(
        _url("theme_manage", process),
        {"title": "infrastruktuuri", "description": "Perustuu Paavo-tietoon."},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "already has a theme" in content
    assert "Perustuu Paavo-tietoon." in content
    assert Theme.objects.count() == 1


def test_decide_page_merges(client, coordinator, process):
    target = _theme(process, "Palveluiden saavutettavuus")
    theme = _theme(process, "Kirjastoauto", Theme.Status.SUGGESTED)
    idea = Idea.objects.create(process=process, theme=theme, title="Idea", description="x")
    client.force_login(coordinator)

    response = client.post(
        _url("theme_decide", process, theme.pk),
        {"decision": "merge", "merge_into": target.pk, "reason": "Sama tarve."},
    )

    assert response.status_code == 302
    theme.refresh_from_db()
    assert theme.status == Theme.Status.MERGED
    idea.refresh_from_db()
    assert idea.theme == target


def test_decide_page_keeps_input(client, coordinator, process):
    _theme(process, "Palveluiden saavutettavuus")
    theme = _theme(process, "Kirjastoauto", Theme.Status.SUGGESTED)
    client.force_login(coordinator)

    response = client.post(
        _url("theme_decide", process, theme.pk),
        {"decision": "merge", "merge_into": "", "reason": "Perustelu säilyy."},
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "Choose the theme to merge into." in content
    assert "Perustelu säilyy." in content
    assert 'value="merge" id="id_decision_1" required checked' in content
    theme.refresh_from_db()
    assert theme.status == Theme.Status.SUGGESTED


def test_decide_page_needs_reason(client, coordinator, process):
    theme = _theme(process, "Kirjastoauto", Theme.Status.SUGGESTED)
    client.force_login(coordinator)

    response = client.post(
        _url("theme_decide", process, theme.pk), {"decision": "decline", "reason": "  "}
    )

    assert "Write the public reason for the decision." in response.content.decode()
    theme.refresh_from_db()
    assert theme.status == Theme.Status.SUGGESTED


def test_decide_page_offers_open_decisions(client, coordinator, process):
    _theme(process, "Toinen")
    accepted = _theme(process, "Hyväksytty")
    declined = _theme(process, "Hylätty", Theme.Status.DECLINED, public_reason="Syy näkyy.")
    client.force_login(coordinator)

    accepted_page = client.get(_url("theme_decide", process, accepted.pk)).content.decode()
    declined_page = client.get(_url("theme_decide", process, declined.pk)).content.decode()

    assert 'value="merge"' in accepted_page
    assert 'value="decline"' not in accepted_page
    assert "<form" in accepted_page
    assert 'name="reason"' in accepted_page
    assert 'name="reason"' not in declined_page
    assert "Syy näkyy." in declined_page


def test_decide_page_other_process(client, coordinator, process, make_process):
    theme = _theme(make_process(slug="toinen"), "Vieras", Theme.Status.SUGGESTED)
    client.force_login(coordinator)

    response = client.get(_url("theme_decide", process, theme.pk))

    assert response.status_code == 404


def test_decide_page_needs_role(client, resident, process):
    theme = _theme(process, "Ehdotus", Theme.Status.SUGGESTED, suggested_by=resident)
    client.force_login(resident)

    response = client.post(
        _url("theme_decide", process, theme.pk), {"decision": "accept", "reason": "Itse."}
    )

    assert response.status_code == 403
    theme.refresh_from_db()
    assert theme.status == Theme.Status.SUGGESTED
