# History rows on the shared record layer (core.records.HistoryEntry): an action item
# update's ``note`` becomes ``content`` (renamed, data kept), both history models gain
# ``actor_label`` and the common field shapes.

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

HISTORY = ("meetingevent", "actionitemupdate")


def _common_fields():
    for model in HISTORY:
        yield migrations.AddField(
            model_name=model,
            name="actor_label",
            field=models.CharField(blank=True, max_length=100, verbose_name="on behalf of"),
        )
        yield migrations.AlterField(
            model_name=model,
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="time"),
        )
        yield migrations.AlterField(
            model_name=model,
            name="author",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.person",
                verbose_name="by",
            ),
        )
        yield migrations.AlterField(
            model_name=model,
            name="content",
            field=models.TextField(blank=True, verbose_name="content"),
        )
        yield migrations.AlterField(
            model_name=model,
            name="data",
            field=models.JSONField(
                blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
            ),
        )
        yield migrations.AlterField(
            model_name=model, name="from_status", field=models.CharField(blank=True, max_length=20)
        )
        yield migrations.AlterField(
            model_name=model, name="to_status", field=models.CharField(blank=True, max_length=20)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(model_name="actionitemupdate", old_name="note", new_name="content"),
        *_common_fields(),
        migrations.AlterField(
            model_name="meetingevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("transition", "Status change"),
                    ("notice", "Notice sent"),
                    ("update", "Meeting changed"),
                    ("cancellation", "Cancellation sent"),
                    ("circulation", "Minutes circulated"),
                    ("confirmation", "Minutes confirmed"),
                    ("objection", "Objection"),
                    ("signature", "Sign-off"),
                    ("material", "Material added"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="actionitemupdate",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Created"),
                    ("activated", "Tracking started"),
                    ("status", "Status update"),
                    ("due_changed", "Deadline changed"),
                    ("completed", "Completion reported"),
                    ("cancelled", "Cancelled"),
                    ("edited", "Edited in the minutes"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]
