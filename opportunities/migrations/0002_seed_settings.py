"""Seed the admin-editable settings with the defaults of METHOD.md §9.2 and §3.5."""

from django.db import migrations

# METHOD.md §9.2, illustrative default probabilities [I]; move 6 = contract signed.
PROBABILITIES = {1: 10, 2: 20, 3: 35, 4: 55, 5: 80, 6: 100}


def seed(apps, schema_editor):
    MoveSetting = apps.get_model("opportunities", "MoveSetting")
    QualificationSetting = apps.get_model("opportunities", "QualificationSetting")
    for move, probability in PROBABILITIES.items():
        MoveSetting.objects.get_or_create(move=move, defaults={"probability": probability})
    QualificationSetting.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
