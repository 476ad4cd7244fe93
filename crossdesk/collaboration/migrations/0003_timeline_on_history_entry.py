# The timeline is a core.records.HistoryEntry now: the same columns under the same names
# (no data moves), one new column for the system actor, and the shared field definitions.

import django.core.serializers.json
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("collaboration", "0002_request_involvement"),
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="timelineentry",
            name="actor_label",
            field=models.CharField(blank=True, max_length=100, verbose_name="on behalf of"),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="kind",
            field=models.CharField(
                choices=[
                    ("log", "Communication log"),
                    ("correction", "Correction"),
                    ("transition", "Status change"),
                    ("attachment", "Attachment"),
                    ("signature", "Sign-off"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="time"),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="author",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="org.person",
                verbose_name="by",
            ),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="from_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="to_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="timelineentry",
            name="data",
            field=models.JSONField(
                blank=True, default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder
            ),
        ),
    ]
