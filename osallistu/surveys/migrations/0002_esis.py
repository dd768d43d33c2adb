"""Load THL's participation indicator (ESIS) with its publicly printed Finnish statements."""

import json
from pathlib import Path

from django.db import migrations

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "esis.json"


def load_esis(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Item = apps.get_model("surveys", "Item")
    ItemText = apps.get_model("surveys", "ItemText")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    fields = data["questionnaire"]
    questionnaire, _created = Questionnaire.objects.get_or_create(
        code=fields["code"], version=fields["version"], defaults=fields
    )
    texts = data["texts"]
    for position, text in enumerate(texts["fi"], start=1):
        item, _created = Item.objects.get_or_create(
            questionnaire=questionnaire, position=position, defaults={"kind": "scale"}
        )
        ItemText.objects.get_or_create(
            item=item,
            language="fi",
            version=texts["version"],
            defaults={"text": text, "is_official": texts["is_official"], "source": texts["source"]},
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(load_esis, migrations.RunPython.noop)]
