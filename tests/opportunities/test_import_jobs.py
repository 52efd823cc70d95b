"""The confirmed import as a job on the worker (imports/jobs.py, issue 24): the page returns at
once and shows the progress; rows are written in batches, each with its progress in one
transaction; a run that dies between batches resumes after its last committed one and writes
nothing twice."""

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from imports import engine, jobs, services
from imports.models import ImportBatch

pytestmark = pytest.mark.django_db


def accounts_file(n, start=1):
    lines = ["external_id,name,owner"]
    lines += [f"A{i},客户{i}有限公司,owner" for i in range(start, start + n)]
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def small_batches(settings):
    settings.IMPORT_BATCH_ROWS = 2


def uploaded(client, content):
    client.post(
        reverse("opportunities:import"),
        {"kind": "accounts", "file": SimpleUploadedFile("accounts.csv", content, "text/csv")},
    )
    return ImportBatch.objects.latest("pk")


def test_confirming_returns_at_once_and_the_page_polls_the_progress(
    personas, client_for, small_batches
):
    client = client_for(personas.manager)
    batch = uploaded(client, accounts_file(5))
    page = reverse("opportunities:import_batch", args=[batch.pk])
    progress = reverse("opportunities:import_progress", args=[batch.pk])
    assert client.post(page, {"action": "confirm"}).status_code == 302
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.QUEUED and not Account.objects.exists()
    shown = client.get(page)
    assert b'hx-trigger="every 1s"' in shown.content and b"import-progress" in shown.content
    assert client.get(progress).status_code == 200
    jobs.run(batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.rows_done, batch.rows_total, batch.batches_done) == (
        ImportBatch.State.IMPORTED,
        5,
        5,
        3,
    )
    assert batch.report["created"] == 5 and batch.report["applied"]
    done = client.get(progress)
    assert done.status_code == 204 and done["HX-Refresh"] == "true"
    assert Account.objects.count() == 5


def test_progress_is_told_while_checking_and_after_each_batch(personas, small_batches):
    batch = uploaded_as(personas, accounts_file(5))
    seen = []
    real = jobs._progress

    def spy(batch_id, **fields):
        seen.append((fields.get("phase"), fields.get("rows_done"), fields.get("batches_done")))
        real(batch_id, **fields)

    jobs.start(batch, personas.manager, skip_rejected=False)
    with mock.patch.object(jobs, "_progress", spy):
        jobs.run(batch.pk)
    written = [done for _phase, done, batches in seen if batches]
    assert written == [2, 4, 5]
    assert ("checking", 0, None) in seen and ("writing", 0, 0) in seen


def uploaded_as(personas, content):
    return ImportBatch.objects.create(
        kind="accounts",
        filename="accounts.csv",
        content=content,
        created_by=personas.manager,
        columns={"external_id": "external_id", "name": "name", "owner": "owner"},
    )


def test_a_run_that_dies_between_batches_resumes_without_duplicates(personas, small_batches):
    batch = uploaded_as(personas, accounts_file(7))
    jobs.start(batch, personas.manager, skip_rejected=False)
    real_run, calls = engine.run, []

    def dies_on_the_third_write(*args, **kwargs):
        if kwargs.get("commit"):
            calls.append(1)
            if len(calls) == 3:
                raise SystemExit("worker killed")  # inside the batch's transaction
        return real_run(*args, **kwargs)

    with mock.patch.object(engine, "run", dies_on_the_third_write), pytest.raises(SystemExit):
        jobs.run(batch.pk)
    batch.refresh_from_db()
    assert (batch.state, batch.batches_done, batch.rows_done) == ("running", 2, 4)
    assert Account.objects.count() == 4, "two whole batches, nothing of the third"
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        batch.refresh_from_db()
        assert batch.interrupted(timezone.now())
        jobs.start(batch, personas.manager, skip_rejected=False)
        jobs.run(batch.pk)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTED
    assert sorted(Account.objects.values_list("external_id", flat=True)) == [
        f"A{i}" for i in range(1, 8)
    ]
    assert batch.report["created"] == 7


def test_a_live_run_is_not_started_twice(personas):
    batch = uploaded_as(personas, accounts_file(2))
    jobs.start(batch, personas.manager, skip_rejected=False)
    with pytest.raises(jobs.Busy):
        jobs.start(batch, personas.manager, skip_rejected=False)


def test_an_interrupted_run_offers_to_resume(personas, client_for, small_batches):
    client = client_for(personas.manager)
    batch = uploaded_as(personas, accounts_file(3))
    jobs.start(batch, personas.manager, skip_rejected=False)
    ImportBatch.objects.filter(pk=batch.pk).update(
        state="running", heartbeat_at=timezone.now() - timedelta(minutes=10)
    )
    page = reverse("opportunities:import_batch", args=[batch.pk])
    assert b'value="resume"' in client.get(page).content
    with mock.patch("imports.tasks.run_import.delay") as queued:
        client.post(page, {"action": "resume"})
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.QUEUED
    jobs.run(batch.pk)
    assert Account.objects.count() == 3
    assert not queued.called or queued.call_args.args == (batch.pk,)


def test_refused_rows_stop_the_run_before_anything_is_written(personas):
    content = accounts_file(2) + "A9,客户9,nobody\n".encode()
    batch = uploaded_as(personas, content)
    report = services.confirm(batch, personas.manager, skip_rejected=False)
    assert len(report["rejected"]) == 1 and not report["applied"]
    assert not Account.objects.exists()
    report = services.confirm(batch, personas.manager, skip_rejected=True)
    assert report["created"] == 2 and len(report["rejected"]) == 1
    assert ImportBatch.objects.get(pk=batch.pk).state == ImportBatch.State.IMPORTED
