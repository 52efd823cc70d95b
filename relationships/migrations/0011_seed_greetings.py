import json

from django.conf import settings
from django.db import migrations

JOB = ("Scheduled greetings", "relationships.send_due_greetings", "*/5")


def seed(apps, schema_editor):
    from relationships.greetings.defaults import ensure_greeting_defaults

    ensure_greeting_defaults(
        apps.get_model("relationships", "GreetingTemplate"),
        apps.get_model("relationships", "Festival"),
        apps.get_model("relationships", "GreetingSetting"),
        apps.get_model("relationships", "ActivityType"),
    )
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    name, task, minute = JOB
    if not PeriodicTask.objects.filter(name=name).exists():
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour="*",
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=settings.TIME_ZONE,
        )
        PeriodicTask.objects.create(name=name, task=task, crontab=crontab, kwargs=json.dumps({}))


class Migration(migrations.Migration):
    dependencies = [
        ("relationships", "0010_greetings"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
