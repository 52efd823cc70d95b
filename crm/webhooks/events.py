"""The events other systems can subscribe to, and `emit()`, which the apps' services call.

A delivery is created only when the transaction that made the change commits: a change that
is rolled back was never made, so nobody outside hears of it."""

import functools

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    ACCOUNT_CREATED = "account.created", _("account created")
    DEAL_MOVED = "deal.moved", _("deal moved")
    DEAL_WON = "deal.won", _("deal won")
    DEAL_LOST = "deal.lost", _("deal lost")
    PAYMENT_RECEIVED = "payment.received", _("payment received")
    RELATIONSHIP_STAGE_CHANGED = "relationship.stage_changed", _("relationship stage changed")


def emit(event: str, data: dict, *, now=None) -> None:
    """Announce `event` about the record described by `data` (its id and key fields, plain
    JSON values) to every active subscription, once the current transaction commits."""
    if event not in Event.values:
        raise ValueError(f"unknown webhook event {event!r}")
    payload = {
        "event": str(event),
        "occurred_at": (now or timezone.now()).isoformat(),
        "data": data,
    }
    # robust: the change is committed already; a failure to queue its webhooks must not turn
    # the user's save into an error (the deliveries made are swept up later).
    transaction.on_commit(functools.partial(_fan_out, str(event), payload), robust=True)


def _fan_out(event: str, payload: dict) -> None:
    # Imported here: the models name this module's events (their choices).
    from crm.webhooks import delivery, tasks

    for delivery_id in delivery.create_deliveries(event, payload):
        tasks.send_webhook.delay(delivery_id)
