"""The imports app's scheduled job: raw uploads are not kept beyond their retention (PIPL)."""

from celery import shared_task
from django.utils import timezone

from crm.worker import recorded
from imports import services


@shared_task(name="imports.purge_uploads")
@recorded("purge_uploads")
def purge_uploads():
    return {"purged": services.purge_uploads(now=timezone.now())}


@shared_task(name="imports.run_import", acks_late=True)
def run_import(batch_id):
    """A confirmed import (imports/jobs.py). Acknowledged only when done: a worker killed
    midway leaves the message to be delivered again, and the run resumes."""
    from imports import jobs

    jobs.run(batch_id)
