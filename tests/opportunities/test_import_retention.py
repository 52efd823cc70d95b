"""Raw uploads are purged after IMPORT_RETENTION_DAYS by a scheduled job: the file and its
parsed rows go, the batch keeps its columns and report, and its page says so."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from crm.celery import app
from crm.schedule import ensure_schedule
from crm.worker import JobRun
from imports import services
from imports.models import ImportBatch
from imports.tasks import purge_uploads

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def upload(user, days_ago: int) -> ImportBatch:
    batch = ImportBatch.objects.create(
        kind="accounts",
        filename="a.csv",
        content=b"external_id,name\nA1,Acme\n",
        headers=["external_id", "name"],
        rows=[[2, ["A1", "Acme"], False]],
        report={"total": 1, "created": 1},
        created_by=user,
    )
    created = timezone.now() - dt.timedelta(days=days_ago)
    ImportBatch.objects.filter(pk=batch.pk).update(created_at=created)
    return batch


@pytest.mark.parametrize(
    ("days", "retention", "purged"), [(31, 30, True), (29, 30, False), (8, 7, True)]
)
def test_uploads_older_than_the_retention_are_purged(personas, settings, days, retention, purged):
    settings.IMPORT_RETENTION_DAYS = retention
    batch = upload(personas.manager, days)
    assert purge_uploads() == {"purged": int(purged)}
    batch.refresh_from_db()
    assert (bytes(batch.content) == b"", batch.rows == [], batch.purged_at is not None) == (
        (purged,) * 3
    )
    assert (batch.headers, batch.report) == (["external_id", "name"], {"total": 1, "created": 1})
    assert JobRun.objects.get(name="purge_uploads").ok


def test_a_purged_batch_keeps_its_page_and_refuses_to_run(personas, client_for):
    batch = upload(personas.manager, 40)
    purge_uploads()
    assert purge_uploads() == {"purged": 0}  # once
    batch.refresh_from_db()
    response = client_for(personas.manager).get(
        reverse("opportunities:import_batch", args=[batch.pk])
    )
    assert response.status_code == 200
    with translation.override("en"):
        report = services.confirm(batch, personas.manager, skip_rejected=False)
    assert report["fatal"] == "The uploaded file was deleted after 30 days: upload it again."
    assert not report["applied"]


def test_the_purge_is_a_scheduled_job():
    ensure_schedule(PeriodicTask, CrontabSchedule, settings.TIME_ZONE)
    job = PeriodicTask.objects.get(task="imports.purge_uploads")
    assert (job.crontab.hour, job.crontab.minute) == ("3", "15")
    assert "imports.purge_uploads" in app.tasks
