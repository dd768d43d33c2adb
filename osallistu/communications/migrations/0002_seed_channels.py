from django.db import migrations

# The six standard communication channels; their display name is the translated kind.
STANDARD_CHANNELS = [
    ("website", "website"),
    ("newsletter", "newsletter"),
    ("poster", "poster"),
    ("social-media", "social_media"),
    ("local-paper", "local_paper"),
    ("event", "event"),
]


def seed(apps, schema_editor):
    Channel = apps.get_model("communications", "CommunicationChannel")
    for position, (code, kind) in enumerate(STANDARD_CHANNELS):
        Channel.objects.get_or_create(code=code, defaults={"kind": kind, "position": position})


def unseed(apps, schema_editor):
    Channel = apps.get_model("communications", "CommunicationChannel")
    Channel.objects.filter(code__in=[code for code, _kind in STANDARD_CHANNELS], uses=None).delete()


class Migration(migrations.Migration):
    dependencies = [("communications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
