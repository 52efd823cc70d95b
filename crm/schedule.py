"""The scheduled jobs as data: what the seeding migration writes into django-celery-beat's
tables (an admin edits them afterwards in Django admin, Periodic tasks). `ensure_schedule`
takes the models so that a migration can pass its historical ones."""

import json

# What the quarter-hourly scan covers: everything but what is decided by the day — care
# (birthdays, festivals, cooling) and the shared pool's week of warning — which the daily
# scan covers (the pool's reads the neglect of every account of its owner).
DUE_KINDS = [
    "todo_due",
    "next_step_due",
    "plan_today",
    "payment_due",
    "gift_approval",
    "review_due",
    "transfer_done",
]

# name, task, crontab (minute, hour), kwargs
SCHEDULE = [
    ("Worker heartbeat", "crm.heartbeat", ("*", "*"), {}),
    ("Reminders scan", "crm.scan_reminders", ("*/15", "*"), {}),
    ("Cooling and care scan", "crm.scan_care", ("30", "7"), {}),
    ("E-mail digests", "crm.send_digests", ("*/15", "*"), {}),
    ("Retry failed deliveries", "crm.retry_failed_deliveries", ("*/10", "*"), {}),
    ("Nightly refresh of the deal facts", "crm.refresh_opportunity_facts", ("30", "2"), {}),
    ("Purge of old import uploads", "imports.purge_uploads", ("15", "3"), {}),
    ("Shared pool scan", "pool.scan", ("45", "2"), {}),
    ("Purge of deleted files", "files.purge_deleted", ("30", "3"), {}),
    ("Webhook retries", "crm.sweep_webhooks", ("*", "*"), {}),
]


def ensure_schedule(PeriodicTask, CrontabSchedule, timezone_name: str) -> None:
    """Create the scheduled jobs that are missing; never touch what an admin changed."""
    for name, task, (minute, hour), kwargs in SCHEDULE:
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        crontab, _created = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month="*",
            month_of_year="*",
            timezone=timezone_name,
        )
        PeriodicTask.objects.create(
            name=name,
            task=task,
            crontab=crontab,
            kwargs=json.dumps(kwargs),
        )
