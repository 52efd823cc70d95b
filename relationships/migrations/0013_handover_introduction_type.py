"""The activity type a handover plans (bulk/handover.py): 交接引荐, the previous owner
introducing the new one to a person whose trust they had built."""

from django.db import migrations


def seed(apps, schema_editor):
    from relationships.defaults import ensure_activity_defaults

    ensure_activity_defaults(
        apps.get_model("relationships", "ActivityType"),
        apps.get_model("relationships", "CoolingThreshold"),
    )


class Migration(migrations.Migration):
    dependencies = [("relationships", "0012_search_bigrams")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
