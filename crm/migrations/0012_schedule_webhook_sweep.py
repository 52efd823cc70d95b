from django.conf import settings
from django.db import migrations


def seed(apps, schema_editor):
    from crm.schedule import ensure_schedule

    # Adds the jobs that are missing (the sweep of webhook retries), keeps the others.
    ensure_schedule(
        apps.get_model("django_celery_beat", "PeriodicTask"),
        apps.get_model("django_celery_beat", "CrontabSchedule"),
        settings.TIME_ZONE,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("crm", "0011_webhooks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
