"""The files' nightly job (found by Celery's autodiscovery; scheduled by crm/schedule.py)."""

from celery import shared_task
from django.utils import timezone

from crm.worker import recorded
from files import services


@shared_task(name="files.purge_deleted")
@recorded("purge_deleted_files")
def purge_deleted():
    """Remove for good the documents deleted more than FILES_KEEP_DELETED_DAYS ago."""
    return {"purged": services.purge(timezone.now())}
