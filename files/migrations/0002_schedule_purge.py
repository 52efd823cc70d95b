from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    from crm.schedule import ensure_schedule

    # Adds the jobs that are missing (the purge of deleted files), keeps the others.
    ensure_schedule(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        settings.TIME_ZONE,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("files", "0001_files"),
        ("pool", "0002_schedule_pool_scan"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
