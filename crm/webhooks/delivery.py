"""Sending a webhook delivery: one signed POST per attempt, logged on the delivery; a failure
(no answer in time, or an answer other than 2xx) is tried again with exponential back-off
until WEBHOOK_MAX_ATTEMPTS, then the delivery is left failed for an admin to replay."""

import json
import logging
import urllib.error
import urllib.request
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from crm.webhooks import signing
from crm.webhooks.models import Subscription, WebhookDelivery

logger = logging.getLogger(__name__)

USER_AGENT = "Cuilong-CRM-Webhooks/1"
MAX_DELAY_SECONDS = 6 * 60 * 60
# How long a claimed attempt keeps others off the delivery beyond its own timeout: a worker
# that dies mid-send leaves the delivery to the sweep after this.
CLAIM_MARGIN_SECONDS = 60
Status = WebhookDelivery.Status


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is not an acknowledgement, nor an invitation to post the signed body elsewhere.
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirects)


def retry_delay(attempts: int) -> int:
    """Seconds before the next try after `attempts` failures: the base, doubled each time,
    at most six hours."""
    return min(settings.WEBHOOK_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0), MAX_DELAY_SECONDS)


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()


def post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str]:
    """POST `body`; the status code of the answer (None when none came) and what went wrong."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with _opener.open(request, timeout=timeout) as response:
            return response.status, ""
    except urllib.error.HTTPError as exc:
        try:
            said = exc.read(200).decode("utf-8", "replace")
        except OSError:
            said = ""
        return exc.code, f"HTTP {exc.code}: {said}".strip().rstrip(":")
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, f"{type(reason).__name__}: {reason}"


def create_deliveries(event: str, payload: dict) -> list[int]:
    """One pending delivery of `payload` per active subscription to `event`; their ids."""
    now = timezone.now()
    rows = [
        WebhookDelivery(
            subscription=subscription, event=event, payload=payload, next_attempt_at=now
        )
        for subscription in Subscription.objects.filter(is_active=True).order_by("pk")
        if subscription.wants(event)
    ]
    return [row.pk for row in WebhookDelivery.objects.bulk_create(rows)]


def replay(deliveries) -> list[int]:
    """A new pending delivery of each one's payload to its subscription (the original keeps
    its log); their ids."""
    now = timezone.now()
    rows = [
        WebhookDelivery(
            subscription_id=d.subscription_id,
            event=d.event,
            payload=d.payload,
            replay_of=d,
            next_attempt_at=now,
        )
        for d in deliveries
    ]
    return [row.pk for row in WebhookDelivery.objects.bulk_create(rows)]


def due(*, now: datetime, limit: int = 500) -> list[int]:
    """Pending deliveries whose next attempt is due: retries, and sends whose task was lost."""
    pending = WebhookDelivery.objects.filter(status=Status.PENDING).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    return list(pending.order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])


def _claim(delivery_id: int, now: datetime, timeout: float) -> bool:
    # Moving the due time on is the claim: of a queued send and a sweep racing for the same
    # delivery, only the one whose update matched sends.
    lease = now + timedelta(seconds=timeout + CLAIM_MARGIN_SECONDS)
    return bool(
        WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=lease)
    )


def attempt(delivery_id: int, *, now: datetime | None = None) -> str:
    """One try of one delivery if it is pending and due, logged on it; returns its status
    afterwards ("skipped" when it was not this call's to try)."""
    now = now or timezone.now()
    timeout = settings.WEBHOOK_TIMEOUT_SECONDS
    if not _claim(delivery_id, now, timeout):
        return "skipped"
    delivery = WebhookDelivery.objects.select_related("subscription").get(pk=delivery_id)
    subscription = delivery.subscription
    if not subscription.is_active:
        return _record(delivery, now, None, "the subscription is switched off", give_up=True)
    body = body_of(delivery)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        signing.EVENT_HEADER: delivery.event,
        signing.DELIVERY_HEADER: str(delivery.pk),
        # Signed at each attempt: a retry hours later still passes the receiver's replay check.
        signing.SIGNATURE_HEADER: signing.sign(
            subscription.secret, body, timestamp=int(now.timestamp())
        ),
    }
    code, error = post(subscription.url, body, headers, timeout)
    return _record(delivery, now, code, error)


def _record(delivery, now, code, error, give_up=False) -> str:
    delivery.attempts += 1
    delivery.response_code = code
    delivery.error = error[:300]
    if code is not None and 200 <= code < 300:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = Status.SENT, now, None
    elif give_up or delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = Status.FAILED, None
    else:
        delivery.next_attempt_at = now + timedelta(seconds=retry_delay(delivery.attempts))
    delivery.save(
        update_fields=[
            "attempts",
            "response_code",
            "error",
            "status",
            "delivered_at",
            "next_attempt_at",
        ]
    )
    if delivery.status != Status.SENT:
        logger.warning(
            "webhook delivery %s (%s) attempt %s: %s",
            delivery.pk,
            delivery.event,
            delivery.attempts,
            delivery.error or delivery.response_code,
        )
    return delivery.status
