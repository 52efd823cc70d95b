from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    from crm.schedule import ensure_schedule

    # Adds the jobs that are missing (the nightly pool scan), keeps the others.
    ensure_schedule(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        settings.TIME_ZONE,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("pool", "0001_pool"),
        ("crm", "0009_pool"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
