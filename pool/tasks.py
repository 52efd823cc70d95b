"""The pool's nightly job (found by Celery's autodiscovery; scheduled by crm/schedule.py)."""

from celery import shared_task
from django.utils import timezone

from crm.worker import recorded
from pool import services


@shared_task(name="pool.scan")
@recorded("pool_scan")
def scan():
    """Return the accounts nobody worked to their team's pool."""
    return {"returned": services.scan(today=timezone.localdate(), now=timezone.now())}
