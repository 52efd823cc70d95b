"""`kill -9` of a real worker in the middle of an import (issue 24): the database then holds
whole batches and says how many, and resuming writes the rest without a duplicate.

A Celery worker in its own process consumes from the Redis on this machine (marked `redis`, as
tests/crm/test_redis_worker.py) and writes to this test's database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from django.db import connection
from django.utils import timezone

from accounts.models import Account
from crm.celery import app
from imports import jobs, tasks
from imports.models import ImportBatch
from tests.crm.test_redis_worker import REDIS_URL, reset_connections

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]
ROWS, BATCH = 4000, 40


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def broker():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"no Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, task_always_eager=False)
    reset_connections()
    yield f"cuilong-kill-{uuid.uuid4().hex[:8]}"
    app.conf.update(saved)
    reset_connections()


def start_worker(queue):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "ENV_FILE": "",
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "IMPORT_BATCH_ROWS": str(BATCH),
        "IMPORT_ANALYZE": "0",  # as tests/settings.py: no statistics left behind
    }
    command = [sys.executable, "-m", "celery", "-A", "crm", "worker", "--pool=solo", "-Q", queue]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def test_a_worker_killed_midway_leaves_whole_batches_and_the_resume_finishes(
    personas, broker, settings
):
    settings.IMPORT_BATCH_ROWS = BATCH
    lines = ["external_id,name,owner", *(f"K{i:05d},公司{i},owner" for i in range(ROWS))]
    batch = ImportBatch.objects.create(
        kind="accounts",
        filename="big.csv",
        content=("\n".join(lines) + "\n").encode(),
        created_by=personas.manager,
        columns={"external_id": "external_id", "name": "name", "owner": "owner"},
    )
    jobs.start(batch, personas.manager, skip_rejected=False)
    worker = start_worker(broker)
    try:
        tasks.run_import.apply_async(args=[batch.pk], queue=broker)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = ImportBatch.objects.values_list("batches_done", flat=True).get(pk=batch.pk)
            if done >= 5:
                break
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.RUNNING and 5 <= batch.batches_done < ROWS // BATCH
    written = Account.objects.filter(external_id__startswith="K").count()
    assert written == batch.batches_done * BATCH, "whole batches only, each one counted"

    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    batch.refresh_from_db()
    jobs.start(batch, personas.manager, skip_rejected=False)
    jobs.run(batch.pk)
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTED
    keys = list(
        Account.objects.filter(external_id__startswith="K").values_list("external_id", flat=True)
    )
    assert len(keys) == len(set(keys)) == ROWS
    assert batch.report["created"] == ROWS
