"""The data download: everything tied to an account, as a ZIP of JSON files.

The export walks every model with a foreign key, one-to-one or many-to-many relation to the user
model, so that data of a new feature is included without changes here. Ballot contents are never
included, because no table ties a ballot to a person. Relations to other users in exported rows
are replaced with null, so that the download contains nothing tied to anyone else.
"""

import io
import json
import zipfile

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

# Account fields in account.json; the password hash is left out on purpose.
ACCOUNT_FIELDS = (
    "email",
    "first_name",
    "last_name",
    "language",
    "email_notifications",
    "verified_at",
    "date_joined",
    "last_login",
)

# Models whose rows point at a user but are not that user's personal data: staff bookkeeping
# such as who edited a page or entered a record on someone's behalf. Names are "app_label.Model".
EXCLUDED_MODELS: frozenset[str] = frozenset(
    {
        "admin.LogEntry",
        "auth.Permission",
    }
)


def user_relations() -> list[tuple[type[models.Model], models.Field]]:
    """Return every (model, field) pair whose field relates a row to a user."""
    user_model = get_user_model()
    relations = []
    for model in apps.get_models():
        if model is user_model or model._meta.label in EXCLUDED_MODELS:
            continue
        for field in model._meta.get_fields():
            if field.is_relation and not field.auto_created and field.related_model is user_model:
                relations.append((model, field))
    return relations


def _row(instance: models.Model, user) -> dict:
    user_model = get_user_model()
    data = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if field.is_relation and field.related_model is user_model and value != user.pk:
            value = None
        if isinstance(field, models.FileField):
            value = value.name if value else ""
        data[field.name] = value
    return data


def account_export(user) -> dict[str, list[dict]]:
    """Return the account's data by file name: account.json and one file per related model."""
    files: dict[str, list[dict]] = {
        "account.json": [{name: getattr(user, name) for name in ACCOUNT_FIELDS}]
    }
    for model, field in user_relations():
        if isinstance(field, models.ManyToManyField):
            rows = model.objects.filter(**{field.name: user})
        else:
            rows = model.objects.filter(**{field.attname: user.pk})
        exported = [_row(instance, user) for instance in rows.order_by("pk")]
        if exported:
            name = f"{model._meta.label_lower}.{field.name}.json"
            files[name] = exported
    return files


def account_export_zip(user) -> bytes:
    """Return the account's data as a ZIP of JSON files with a README in the active language."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in account_export(user).items():
            archive.writestr(
                name, json.dumps(rows, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
        archive.writestr("README.txt", _readme())
    return buffer.getvalue()


def _readme() -> str:
    return _(
        "Your data in the participation service, downloaded on %(time)s.\n\n"
        "account.json contains your account's details. Each other file contains the rows that "
        "are tied to your account; its name gives the table and the field. Ballot contents are "
        "not included, because a ballot is never tied to the person who cast it.\n"
    ) % {"time": timezone.localtime().strftime("%d.%m.%Y %H:%M")}
