"""Seed the admin-editable data of moves 3–6 (see opportunities/moves_defaults.py)."""

from django.db import migrations

from opportunities.moves.defaults import ensure_defaults


def seed(apps, schema_editor):
    ensure_defaults(
        apps.get_model("opportunities", "NeedCategory"),
        apps.get_model("opportunities", "ConcernSignal"),
        apps.get_model("opportunities", "MovesSetting"),
    )


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0004_moves_3_to_6")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
