"""Name the activity types as the handout does (METHOD.md §4.2: 联谊活动, 异地参观, 穿针引线,
成为向导, 商务活动, …); a name an admin typed is kept."""

from django.db import migrations


def rename(apps, schema_editor):
    from relationships.defaults import rename_former_defaults

    rename_former_defaults(apps.get_model("relationships", "ActivityType"))


class Migration(migrations.Migration):
    dependencies = [("relationships", "0006_festival_rules")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
