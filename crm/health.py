"""/health/ for load balancers and operators: the database, the broker, the worker's
heartbeat and the last run of each scheduled job. 200 when all is well, 503 otherwise; JSON
with `?format=json`. It names no host, user or secret."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from crm.worker import HEARTBEAT, JobRun


def _database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, "ok"
    except Exception as exc:  # the page reports every failure instead of failing itself
        return False, type(exc).__name__


def _broker() -> tuple[bool, str]:
    from crm.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=3)
        return True, "ok"
    except Exception as exc:  # see above
        return False, type(exc).__name__


def _jobs() -> list[dict]:
    from django_celery_beat.models import PeriodicTask

    runs = {run.name: run for run in JobRun.objects.all()}
    jobs = []
    for task in PeriodicTask.objects.order_by("name"):
        run = runs.get(task.task.removeprefix("crm."))
        jobs.append(
            {
                "name": task.name,
                "task": task.task,
                "enabled": task.enabled,
                "last_sent": task.last_run_at,
                "last_finished": run.finished_at if run else None,
                "ok": run.ok if run else None,
            }
        )
    return jobs


@login_not_required
@never_cache
@require_GET
def health(request):
    now = timezone.now()
    database_ok, database = _database()
    broker_ok, broker = _broker()
    beat = JobRun.objects.filter(name=HEARTBEAT).first() if database_ok else None
    limit = timedelta(minutes=settings.HEALTH_HEARTBEAT_MINUTES)
    worker_ok = bool(beat and beat.finished_at and now - beat.finished_at <= limit)
    jobs = _jobs() if database_ok else []
    healthy = database_ok and broker_ok and worker_ok
    status = 200 if healthy else 503
    report = {
        "status": "ok" if healthy else "failing",
        "database": database,
        "broker": broker,
        "worker": "ok" if worker_ok else "no heartbeat",
        "worker_heartbeat": beat.finished_at.isoformat() if beat and beat.finished_at else None,
        "jobs": [
            {
                **job,
                "last_sent": job["last_sent"].isoformat() if job["last_sent"] else None,
                "last_finished": job["last_finished"].isoformat() if job["last_finished"] else None,
            }
            for job in jobs
        ],
    }
    if request.GET.get("format") == "json":
        return JsonResponse(report, status=status)
    return render(
        request,
        "crm/health.html",
        {"report": report, "jobs": jobs, "healthy": healthy, "heartbeat": beat},
        status=status,
    )
