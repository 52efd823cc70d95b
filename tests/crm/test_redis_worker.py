"""One real Celery worker consuming from the Redis on 127.0.0.1:6379 (db 5 unless
REDIS_TEST_URL says otherwise): the schedule's jobs run through the production broker.

Marked `redis`: skipped where no Redis answers, unless REQUIRE_REDIS=1 (as in .ci/run), which
turns a missing Redis into a failure."""

import os
import time
import uuid
from datetime import datetime
from datetime import time as dt_time

import pytest
import redis
import time_machine
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from crm import tasks
from crm.celery import app
from crm.notifications.models import Delivery, Notification
from crm.worker import HEARTBEAT, JobRun

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def reset_connections():
    """Drop the pooled broker connections so that the next ones use the current broker_url."""
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def redis_worker():
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("REQUIRE_REDIS") == "1":
            pytest.fail(f"no Redis at {REDIS_URL}: {exc}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    saved = {
        key: app.conf[key]
        for key in ("broker_url", "task_always_eager", "task_default_queue", "result_backend")
    }
    # A queue of this run's own, so that nothing left in Redis by another run is consumed.
    app.conf.update(
        broker_url=REDIS_URL,
        task_always_eager=False,
        task_default_queue=f"cuilong-test-{uuid.uuid4().hex[:8]}",
        result_backend=None,
    )
    reset_connections()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(saved)
        reset_connections()


def wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:  # SQLite's shared test database is busy with the worker
            pass
        time.sleep(0.2)
    return False


def test_a_real_worker_runs_the_jobs_through_redis(redis_worker, personas):
    owner = personas.owner
    owner.email = "owner@example.com"
    owner.save()
    Notification.objects.create(user=owner, kind="todo_due", key="k1", title="call the CFO")

    # Past every default digest hour, whatever moment the session's clock is pinned to (the
    # worker runs in this process, on the same clock).
    noon = datetime.combine(
        timezone.localdate(), dt_time(12), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(noon, tick=True):
        tasks.heartbeat.delay()
        tasks.send_digests.delay()  # claims the digest and queues its delivery: a second task

        assert wait_for(lambda: JobRun.objects.filter(name=HEARTBEAT, ok=True).exists())
        assert wait_for(lambda: Delivery.objects.filter(status="sent").exists())
    assert len(mail.outbox) == 1
    assert "call the CFO" in mail.outbox[0].body
