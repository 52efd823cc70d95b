"""The scheduled jobs are data in django-celery-beat's tables (editable in admin), every one
names a registered task; /health/ reports database, broker, heartbeat and job runs."""

import datetime as dt
import json

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from crm import tasks
from crm.celery import app
from crm.schedule import SCHEDULE, ensure_schedule
from files import tasks as files_tasks  # noqa: F401
from imports import tasks as import_tasks  # noqa: F401 (registers its job, as a worker's discovery does)
from pool import tasks as pool_tasks  # noqa: F401
from tests.crm.notifications.conftest import NOW


def seeded():
    ensure_schedule(PeriodicTask, CrontabSchedule, settings.TIME_ZONE)


def test_every_scheduled_job_is_in_the_admin_schedule(db, client_for, personas):
    seeded()
    seeded()  # seeding again adds nothing and keeps an admin's changes
    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert names == {name for name, *_rest in SCHEDULE}
    assert set(PeriodicTask.objects.values_list("task", flat=True)) <= set(app.tasks)
    care = PeriodicTask.objects.get(name="Cooling and care scan")
    assert (care.task, json.loads(care.kwargs)) == ("crm.scan_care", {})
    assert (care.crontab.hour, care.crontab.minute) == ("7", "30")
    url = reverse("admin:django_celery_beat_periodictask_change", args=[care.pk])
    assert client_for(personas.admin).get(url).status_code == 200


def test_health_fails_without_a_worker_heartbeat(db, client):
    seeded()
    response = client.get(reverse("crm:health") + "?format=json")
    assert response.status_code == 503
    report = response.json()
    assert (report["status"], report["database"], report["worker"]) == (
        "failing",
        "ok",
        "no heartbeat",
    )
    assert len(report["jobs"]) == len(SCHEDULE)


def test_health_is_ok_with_a_fresh_heartbeat_and_shows_job_runs(db, client):
    seeded()
    tasks.heartbeat.delay()
    tasks.refresh_opportunity_facts.delay()
    response = client.get(reverse("crm:health") + "?format=json")
    assert response.status_code == 200, response.json()
    jobs = {job["name"]: job for job in response.json()["jobs"]}
    assert jobs["Nightly refresh of the deal facts"]["ok"] is True
    assert jobs["E-mail digests"]["ok"] is None  # never ran
    with time_machine.travel(NOW + dt.timedelta(minutes=settings.HEALTH_HEARTBEAT_MINUTES + 1)):
        assert client.get(reverse("crm:health")).status_code == 503


def test_a_failing_job_is_recorded(db, monkeypatch):
    from crm.worker import JobRun

    def broken(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(tasks.services, "scan", broken)
    with pytest.raises(RuntimeError):
        tasks.scan_reminders.delay()
    run = JobRun.objects.get(name="scan_reminders")
    assert run.ok is False and "database went away" in run.result
