"""The data download and account deletion."""

import io
import json
import zipfile

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.urls import reverse

from osallistu.budgeting.models import BudgetArea, Project
from osallistu.moderation.models import Report
from osallistu.participation.models import Comment, Idea, Visibility
from osallistu.privacy import services
from osallistu.privacy.export import user_relations

pytestmark = pytest.mark.django_db


def _download(client, user) -> dict[str, list]:
    client.force_login(user)
    response = client.post(reverse("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {
        name: json.loads(archive.read(name))
        for name in archive.namelist()
        if name.endswith(".json")
    }


def test_download_contains_every_kind(client, resident, seeded):
    files = _download(client, resident)

    assert files["account.json"][0]["email"] == resident.email
    assert "password" not in files["account.json"][0]
    expected = [
        "account.emailaddress.user.json",
        "participation.idea.author.json",
        "participation.comment.author.json",
        "participation.commentlike.user.json",
        "notifications.follow.user.json",
        "notifications.notification.user.json",
        "organisations.membership.user.json",
        "moderation.report.reporter.json",
        "events.registration.user.json",
    ]
    for name in expected:
        assert name in files, name
    assert [idea["title"] for idea in files["participation.idea.author.json"]] == [
        "Penkki puistoon"
    ]


def test_download_contains_nothing_of_others(client, resident, other_resident, seeded):
    files = _download(client, resident)
    text = json.dumps(files, ensure_ascii=False)

    assert other_resident.email not in text
    assert "Toisen idea" not in text
    assert "Toisen ilmoitus" not in text
    assert f'"author": {other_resident.pk}' not in text


def test_download_requires_sign_in(client):
    response = client.post(reverse("privacy:download"))

    assert response.status_code == 302


def test_every_user_relation_exported(client, resident, seeded):
    """Guard: a new model with a user relation is exported unless explicitly excluded."""
    labels = {model._meta.label for model, _field in user_relations()}

    assert "participation.Idea" in labels
    assert "identity.EligibilityRecord" in labels


def _text_columns():
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                yield model._meta.db_table, field.column


def _tables_containing(value: str) -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table, column in _text_columns():
            quoted_table = connection.ops.quote_name(table)
            quoted_column = connection.ops.quote_name(column)
            cursor.execute(
                f"SELECT COUNT(*) FROM {quoted_table} WHERE CAST({quoted_column} AS TEXT) LIKE %s",
                [f"%{value}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_erasure_leaves_no_email_or_name(client, resident, seeded):
    email = resident.email
    client.force_login(resident)

    response = client.post(
        reverse("privacy:erase"), {"password": "Salasana-123", "delete_contributions": ""}
    )

    assert response.status_code == 302
    assert _tables_containing(email) == []
    assert _tables_containing("Erasmaa") == []
    assert _tables_containing("Ainomaija") == []


def test_erasure_keeps_contributions_pseudonymous(client, resident, seeded):
    client.force_login(resident)

    client.post(reverse("privacy:erase"), {"password": "Salasana-123"})
    resident.refresh_from_db()

    assert Idea.objects.filter(pk=seeded["idea"].pk, author=resident).exists()
    assert Comment.objects.filter(pk=seeded["comment"].pk, author=resident).exists()
    assert not resident.is_active
    assert not resident.has_usable_password()
    assert services.is_erased(resident)
    page = client.get(
        reverse(
            "participation:idea_detail",
            kwargs={"slug": seeded["process"].slug, "idea_id": seeded["idea"].pk},
        )
    )
    assert "Ainomaija" not in page.content.decode()


def test_erasure_signs_out(client, resident, seeded):
    client.force_login(resident)

    client.post(reverse("privacy:erase"), {"password": "Salasana-123"})

    assert "_auth_user_id" not in client.session


def test_erasure_deletes_contributions_on_request(resident, other_resident, seeded):
    own_idea = Idea.objects.create(
        process=seeded["process"], author=resident, title="Oma", description="Ei kommentteja"
    )

    counts = services.account_erase(user=resident, actor=resident, delete_contributions=True)

    assert not Idea.objects.filter(pk=own_idea.pk).exists()
    # Others commented on this idea, so deleting it would delete their comments.
    assert Idea.objects.filter(pk=seeded["idea"].pk).exists()
    assert not Comment.objects.filter(pk=seeded["comment"].pk).exists()
    assert counts["ideas_deleted"] == 1
    assert counts["ideas_kept"] == 1


def test_erasure_keeps_moderated_and_proposed(resident, seeded):
    process = seeded["process"]
    hidden = Idea.objects.create(
        process=process,
        author=resident,
        title="Piilotettu",
        description="x",
        visibility=Visibility.HIDDEN,
    )
    reported = Idea.objects.create(
        process=process, author=resident, title="Ilmoitettu", description="x"
    )
    Report.objects.create(
        content_type=ContentType.objects.get_for_model(Idea), object_id=reported.pk, reason="x"
    )
    proposed = Idea.objects.create(
        process=process, author=resident, title="Ehdotus", description="x"
    )
    area = BudgetArea.objects.create(process=process, name="Alue", slug="alue", budget=50000)
    Project.objects.create(area=area, external_id="1", title="Ehdotus", cost=1000, idea=proposed)

    services.account_erase(user=resident, actor=resident, delete_contributions=True)

    assert Idea.objects.filter(pk__in=[hidden.pk, reported.pk, proposed.pk]).count() == 3


def test_erasure_wrong_password_keeps_account(client, resident, seeded):
    client.force_login(resident)

    response = client.post(
        reverse("privacy:erase"), {"password": "väärä", "delete_contributions": "on"}
    )

    assert response.status_code == 200
    assert (
        'name="delete_contributions" checked'
        in response.content.decode().replace('type="checkbox" ', "")
        or "checked" in response.content.decode()
    )
    resident.refresh_from_db()
    assert resident.is_active


def test_erasure_by_other_resident_rejected(resident, other_resident, seeded):
    with pytest.raises(services.PermissionDenied):
        services.account_erase(user=resident, actor=other_resident, delete_contributions=False)
