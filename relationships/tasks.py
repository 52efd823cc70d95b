"""The greetings' background jobs (found by Celery's autodiscovery; scheduled in
django-celery-beat by relationships/migrations)."""

from celery import shared_task
from django.utils import timezone

from crm.notifications.rules import retry_delay
from crm.worker import recorded
from relationships.greetings import services


@shared_task(name="relationships.send_greeting", bind=True, max_retries=services.MAX_ATTEMPTS - 1)
def send_greeting(self, greeting_id):
    """One greeting; a provider's error is retried with back-off, nothing is marked sent
    that the channel did not take."""
    if services.attempt(greeting_id):
        return "done"
    if self.request.retries < self.max_retries:
        # throw=False: in tests, where tasks run in-process, no exception reaches the caller.
        return self.retry(countdown=retry_delay(self.request.retries + 1), throw=False)
    return "failed"


@shared_task(name="relationships.send_due_greetings")
@recorded("send_due_greetings")
def send_due_greetings():
    """The scheduled greetings whose morning (or the end of quiet hours) has come; those a
    stopped worker left half-way are marked failed."""
    now = timezone.now()
    stalled = services.fail_stalled(now)
    due = services.release_due(now)
    for greeting_id in due:
        send_greeting.delay(greeting_id)
    return {"greetings": len(due), "stalled": stalled}
