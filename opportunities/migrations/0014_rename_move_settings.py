"""MoveSetting and MovesSetting get names that say what each holds; the rows are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("opportunities", "0013_movechange_is_imported"),
    ]

    operations = [
        migrations.RenameModel("MoveSetting", "MoveProbabilitySetting"),
        migrations.RenameModel("MovesSetting", "MoveThresholdSetting"),
    ]
