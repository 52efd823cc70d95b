"""The background jobs. Their schedule lives in the database (django-celery-beat), seeded by
crm/migrations and editable in Django admin (Periodic tasks); every job records its runs
(crm.worker.JobRun) for the health page."""

from celery import shared_task
from django.core.management import call_command
from django.utils import timezone

from crm.notifications import delivery, rules, services
from crm.notifications.models import Kind
from crm.schedule import DUE_KINDS
from crm.worker import HEARTBEAT, recorded


@shared_task(name="crm.heartbeat")
@recorded(HEARTBEAT)
def heartbeat():
    return "alive"


def _scan(kinds) -> dict:
    """Record what each user should hear about, then hand the new ones to the robots."""
    created = services.scan(today=timezone.localdate(), kinds=set(kinds))
    claimed = delivery.claim_robot_deliveries(now=timezone.now())
    for delivery_id in claimed:
        send_delivery.delay(delivery_id)
    return {"notifications": created, "robot_deliveries": len(claimed)}


@shared_task(name="crm.scan_reminders")
@recorded("scan_reminders")
def scan_reminders():
    """What is due: to-dos, next steps, today's plans, payments, gift approvals, …"""
    return _scan(DUE_KINDS)


@shared_task(name="crm.scan_care")
@recorded("scan_care")
def scan_care():
    """Birthdays and festivals of the users' people, cooling relationships, and accounts about
    to return to the shared pool (daily)."""
    return _scan([Kind.CARE, Kind.POOL_WARNING])


@shared_task(name="crm.send_digests")
@recorded("send_digests")
def send_digests():
    claimed = delivery.claim_digests(now=timezone.now())
    for delivery_id in claimed:
        send_delivery.delay(delivery_id)
    return {"digests": len(claimed)}


@shared_task(name="crm.send_delivery", bind=True, max_retries=rules.MAX_ATTEMPTS - 1)
def send_delivery(self, delivery_id):
    """One delivery; a failure is retried with back-off, each try logged on the delivery."""
    if delivery.attempt(delivery_id):
        return "sent"
    from crm.notifications.models import Delivery

    attempts = Delivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first()
    if attempts is not None and attempts < rules.MAX_ATTEMPTS:
        # throw=False: the retry is scheduled without failing this run (and, in tests where
        # tasks run in-process, without an exception reaching the caller).
        return self.retry(countdown=rules.retry_delay(attempts), throw=False)
    return "failed"


@shared_task(name="crm.retry_failed_deliveries")
@recorded("retry_failed_deliveries")
def retry_failed_deliveries():
    """Failed deliveries whose retries were lost (a worker stopped) get another try."""
    from crm.notifications.models import Delivery

    failed = Delivery.objects.filter(
        status=Delivery.Status.FAILED, attempts__lt=rules.MAX_ATTEMPTS
    ).values_list("pk", flat=True)
    ids = list(failed[:500])
    for delivery_id in ids:
        send_delivery.delay(delivery_id)
    return {"retried": len(ids)}


@shared_task(name="crm.refresh_opportunity_facts")
@recorded("refresh_opportunity_facts")
def refresh_opportunity_facts():
    """The nightly safety net of the pipeline's stored facts (docs/pipeline.md), by the
    command's name: crm does not import opportunities."""
    call_command("refresh_opportunity_facts")
    return "refreshed"
