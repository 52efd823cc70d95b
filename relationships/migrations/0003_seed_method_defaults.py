"""Seed the method's activity types (METHOD.md §4.2) and cooling thresholds (festivals: 0006)."""

from django.db import migrations


def seed(apps, schema_editor):
    from relationships.defaults import ensure_activity_defaults

    ensure_activity_defaults(
        apps.get_model("relationships", "ActivityType"),
        apps.get_model("relationships", "CoolingThreshold"),
    )


class Migration(migrations.Migration):
    dependencies = [("relationships", "0002_activities_and_care")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
