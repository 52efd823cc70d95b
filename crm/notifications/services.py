"""Writes of notifications: record what each user should hear about (the scan), mark read,
claim a delivery (the unique row that keeps a send to once), record its result."""

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from crm.models import User
from crm.notifications import registry
from crm.notifications.models import Delivery, Notification, NotificationPreference


def language_of(user) -> str:
    return user.language or settings.LANGUAGE_CODE


def preference_of(user) -> NotificationPreference:
    """The user's preferences, or the defaults (unsaved) when they never chose."""
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def record(*, user, reminders) -> int:
    """Record `reminders` for `user`, each event once (the unique (user, key) makes a second
    scan, or two at once, a no-op); returns how many were new."""
    rows = [
        Notification(
            user=user,
            kind=r.kind,
            key=r.key[:200],
            title=r.title[:300],
            body=r.body,
            url=r.url[:300],
            due_on=r.due_on,
        )
        for r in reminders
    ]
    before = Notification.objects.filter(user=user).count()
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return Notification.objects.filter(user=user).count() - before


def scan(*, today: date, kinds: set[str] | None = None) -> int:
    """Every active user's reminders (of `kinds`, or all) from every app
    (crm.notifications.registry), in the user's language; returns how many are new."""
    created = 0
    for user in User.objects.filter(is_active=True).order_by("pk"):
        with translation.override(language_of(user)):
            created += record(user=user, reminders=registry.collect(user, today, kinds))
    return created


def mark_read(*, user, notification_ids=None) -> int:
    """Mark the user's notifications read (all of them when no ids are given)."""
    unread = Notification.objects.for_user(user).unread()
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


def claim(*, user, event: str, channel: str, robot=None, target: str = "") -> Delivery | None:
    """The delivery of `event` on `channel` (and robot) to `user`, or None when another worker
    or an earlier run already has it: inserting the unique row is the claim."""
    try:
        with transaction.atomic():
            return Delivery.objects.create(
                user=user, event=event, channel=channel, robot=robot, target=target
            )
    except IntegrityError:
        return None


def record_result(*, delivery: Delivery, ok: bool, result: str) -> Delivery:
    """Log one attempt: when, the outcome and what the other side said."""
    delivery.attempts += 1
    delivery.result = result[:2000]
    delivery.status = Delivery.Status.SENT if ok else Delivery.Status.FAILED
    delivery.sent_at = timezone.now() if ok else None
    delivery.save(update_fields=["attempts", "result", "status", "sent_at"])
    return delivery
