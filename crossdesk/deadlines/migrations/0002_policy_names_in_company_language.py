"""Time rules created by an earlier ``migrate`` were named in English (post_migrate ran with
translations deactivated); the ones nobody renamed take the company language's name."""

from django.conf import settings
from django.db import migrations
from django.utils import translation


def rename_untouched_defaults(apps, schema_editor):
    from crossdesk.deadlines.defaults import DEFAULT_POLICIES

    TimePolicy = apps.get_model("deadlines", "TimePolicy")
    for spec in DEFAULT_POLICIES:
        with translation.override(None):
            english = str(spec["name"])
        with translation.override(settings.LANGUAGE_CODE):
            local = str(spec["name"])
        if local != english:
            TimePolicy.objects.filter(key=spec["key"], variant=spec["variant"], name=english).update(name=local)


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(rename_untouched_defaults, migrations.RunPython.noop)]
