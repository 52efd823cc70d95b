"""The Celery app: background jobs and their schedule (django-celery-beat, editable in admin).

Broker: `REDIS_URL` in production; `make run` uses kombu's filesystem transport under var/ so
that a developer needs no server (settings.py)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")

app = Celery("crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
