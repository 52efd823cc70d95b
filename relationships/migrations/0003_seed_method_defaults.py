"""Seed the method's activity types (METHOD.md §4.2), cooling thresholds and festivals."""

from django.db import migrations


def seed(apps, schema_editor):
    from relationships.defaults import ensure_defaults

    ensure_defaults(
        apps.get_model("relationships", "ActivityType"),
        apps.get_model("relationships", "CoolingThreshold"),
        apps.get_model("relationships", "Festival"),
    )


class Migration(migrations.Migration):
    dependencies = [("relationships", "0002_activities_and_care")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
