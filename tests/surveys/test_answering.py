"""Answering online: anonymity, one answer per person and round, and the languages offered."""

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext

from osallistu.privacy.export import account_export
from osallistu.surveys import services
from osallistu.surveys.models import AnsweredMark, ItemAnswer, ItemText, Response

from .fixtures import all_answers

pytestmark = pytest.mark.django_db


def _post_data(esis_round, value="4", **extra) -> dict:
    data = {f"item_{item.pk}": value for item in esis_round.questionnaire.items.all()}
    return {**data, **extra}


def test_online_answer_stores_response(client, resident, esis_round):
    client.force_login(resident)

    page = client.post(
        reverse("surveys:answer", args=[esis_round.pk]), _post_data(esis_round, age_group="30-64")
    )

    assert page.status_code == 302
    response = Response.objects.get()
    assert response.channel == Response.Channel.ONLINE
    assert response.age_group == "30-64"
    assert sorted(response.answers.values_list("value", flat=True)) == [4] * 10


def test_nothing_links_account_to_response(client, resident, esis_round):
    client.force_login(resident)
    client.post(reverse("surveys:answer", args=[esis_round.pk]), _post_data(esis_round))

    user_model = type(resident)
    for model in (Response, ItemAnswer, AnsweredMark):
        relations = [f for f in model._meta.get_fields() if f.is_relation]
        assert all(f.related_model is not user_model for f in relations), model
        fields = {f.name for f in model._meta.concrete_fields}
        assert not fields & {"ip", "ip_address", "created_at", "user"}, model
    date_fields = [f for f in Response._meta.concrete_fields if isinstance(f, models.DateTimeField)]
    assert date_fields == []
    mark = AnsweredMark.objects.get()
    assert mark.key != str(resident.pk)
    assert len(mark.key) == 64
    # The response's key is random, so no sequence ties it to the mark written with it.
    assert len(str(Response.objects.get().pk)) == 36


def test_data_download_has_no_survey_rows(client, resident, esis_round):
    client.force_login(resident)
    client.post(reverse("surveys:answer", args=[esis_round.pk]), _post_data(esis_round))

    files = account_export(resident)

    assert not [name for name in files if name.startswith("surveys.")]


def test_second_answer_rejected(client, resident, esis_round):
    client.force_login(resident)
    url = reverse("surveys:answer", args=[esis_round.pk])
    client.post(url, _post_data(esis_round))

    page = client.post(url, _post_data(esis_round, value="2"))

    body = page.content.decode()
    assert page.status_code == 200
    assert gettext("You have already answered this survey. Each person answers once.") in body
    assert Response.objects.count() == 1
    # The form keeps what the person chose.
    assert body.count('value="2" id="') == 10
    assert body.count(" checked") == 10


def test_service_rejects_second_answer(resident, esis_round):
    services.response_submit_online(
        user=resident, survey_round=esis_round, values=all_answers(esis_round)
    )

    with pytest.raises(ValidationError) as error:
        services.response_submit_online(
            user=resident, survey_round=esis_round, values=all_answers(esis_round)
        )

    assert error.value.code == "already_answered"
    assert AnsweredMark.objects.count() == 1


def test_other_person_may_answer(resident, other_resident, esis_round):
    for user in (resident, other_resident):
        services.response_submit_online(
            user=user, survey_round=esis_round, values=all_answers(esis_round)
        )

    assert Response.objects.count() == 2


def test_mark_is_per_round(resident, make_round):
    first, second = make_round(), make_round(label="Loppumittaus")

    assert services.mark_key(first, resident) != services.mark_key(second, resident)


def test_closed_round_rejects_answers(resident, make_round):
    closed = make_round(days_closed=3)

    with pytest.raises(ValidationError) as error:
        services.response_submit_online(
            user=resident, survey_round=closed, values=all_answers(closed)
        )

    assert error.value.code == "closed"


def test_empty_response_rejected(client, resident, esis_round):
    client.force_login(resident)

    page = client.post(reverse("surveys:answer", args=[esis_round.pk]), {})

    assert page.status_code == 200
    assert Response.objects.count() == 0
    assert AnsweredMark.objects.count() == 0


def test_age_group_not_asked_rejected(resident, make_round):
    survey_round = make_round(ask_age_group=False)

    with pytest.raises(ValidationError):
        services.response_submit_online(
            user=resident,
            survey_round=survey_round,
            values=all_answers(survey_round),
            age_group="30-64",
        )


def test_anonymous_visitor_sent_to_sign_in(client, esis_round):
    page = client.get(reverse("surveys:answer", args=[esis_round.pk]))

    assert page.status_code == 302
    assert "/accounts/login/" in page["Location"]


def test_finnish_offered_with_notice(client, resident, esis_round):
    client.force_login(resident)

    page = client.get(reverse("surveys:answer", args=[esis_round.pk]))

    assert page.status_code == 200
    body = page.content.decode()
    assert "Tunnen, että päivittäiset tekemiseni ovat merkityksellisiä." in body
    assert 'role="note"' in body
    assert reverse("privacy:notice", args=["surveys"]) in body


def test_language_without_text_not_offered(client, resident, esis_round):
    client.force_login(resident)
    finnish_url = reverse("surveys:answer", args=[esis_round.pk])

    page = client.get("/sv" + finnish_url)

    body = page.content.decode()
    assert page.status_code == 200
    assert "Tunnen, että" not in body
    assert f'href="{finnish_url}" lang="fi"' in body


def test_offered_languages_follow_texts(esis_round, settings):
    from osallistu.surveys.selectors import offered_languages

    assert offered_languages(esis_round) == ["fi"]

    settings.OSALLISTU_SURVEY_OFFICIAL_TEXTS_ONLY = True
    assert offered_languages(esis_round) == []

    ItemText.objects.filter(item__questionnaire=esis_round.questionnaire).update(is_official=True)
    assert offered_languages(esis_round) == ["fi"]


def test_partial_translation_not_offered(esis_round):
    from osallistu.surveys.selectors import offered_languages

    item = esis_round.questionnaire.items.first()
    ItemText.objects.create(item=item, language="sv", version=esis_round.text_version, text="x")

    assert offered_languages(esis_round) == ["fi"]


def test_round_keeps_its_text_version(esis_round, esis):
    from osallistu.surveys.selectors import offered_languages

    esis.text_version = "thl-official"
    esis.save()

    assert offered_languages(esis_round) == ["fi"]
