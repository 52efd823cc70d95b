"""The webhooks' background jobs: each delivery its own task, so a slow receiver never holds
up the others; the sweep (crm/schedule.py, every minute) sends the retries that are due.
The worker imports this module through CELERY_IMPORTS (crm/settings.py)."""

from celery import shared_task
from django.utils import timezone

from crm.webhooks import delivery
from crm.worker import recorded


@shared_task(name="crm.send_webhook")
def send_webhook(delivery_id):
    """One attempt of one delivery; a failure is retried by the sweep at its due time."""
    return delivery.attempt(delivery_id)


@shared_task(name="crm.sweep_webhooks")
@recorded("sweep_webhooks")
def sweep_webhooks():
    due = delivery.due(now=timezone.now())
    for delivery_id in due:
        send_webhook.delay(delivery_id)
    return {"queued": len(due)}
