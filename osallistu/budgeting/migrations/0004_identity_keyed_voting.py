"""Key participation by the identity digest instead of a user account, and add receipts.

Existing participation records came from signed-in accounts and have no identity digest. They get
a digest derived from the user id, under a prefix that no HMAC hex digest can take, so each
account still counts as one voter in its process.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models


def digest_from_voter(apps, schema_editor):
    ParticipationRecord = apps.get_model("budgeting", "ParticipationRecord")
    for record in ParticipationRecord.objects.only("pk", "voter_id").iterator():
        record.digest = f"user:{record.voter_id}"
        record.save(update_fields=["digest"])


class Migration(migrations.Migration):
    dependencies = [
        ("budgeting", "0003_budgeting_settings"),
        ("participation", "0004_contribution_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="participationrecord",
            name="digest",
            field=models.CharField(max_length=64, null=True, verbose_name="identity digest"),
        ),
        migrations.RunPython(digest_from_voter, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="participationrecord",
            name="participation_record_one_per_voter",
        ),
        migrations.RemoveField(
            model_name="participationrecord",
            name="voter",
        ),
        migrations.AlterField(
            model_name="participationrecord",
            name="digest",
            field=models.CharField(max_length=64, verbose_name="identity digest"),
        ),
        migrations.AddField(
            model_name="participationrecord",
            name="receipt_mac",
            field=models.CharField(blank=True, default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="participationrecord",
            constraint=models.UniqueConstraint(
                fields=("process", "digest"), name="participation_record_one_per_identity"
            ),
        ),
        migrations.AddField(
            model_name="ballot",
            name="receipt_mac",
            field=models.CharField(blank=True, max_length=64, null=True, unique=True),
        ),
        migrations.CreateModel(
            name="Receipt",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4, editable=False, primary_key=True, serialize=False
                    ),
                ),
                (
                    "code_hash",
                    models.CharField(max_length=64, unique=True, verbose_name="receipt code hash"),
                ),
                ("received_on", models.DateField(verbose_name="received on")),
                ("is_final", models.BooleanField(default=False, verbose_name="final")),
                (
                    "superseded",
                    models.BooleanField(default=False, verbose_name="replaced by a newer ballot"),
                ),
                (
                    "process",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="receipts",
                        to="participation.process",
                    ),
                ),
            ],
            options={
                "verbose_name": "receipt",
                "verbose_name_plural": "receipts",
            },
        ),
    ]
