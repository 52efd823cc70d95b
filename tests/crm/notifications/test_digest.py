"""The daily e-mail digest: at the user's hour, in their language, once a day, through
Django's e-mail backends — including a real SMTP round trip to a local aiosmtpd server."""

import datetime as dt
import socket
import threading

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection
from django.test import override_settings

from crm import tasks
from crm.notifications import delivery
from crm.notifications.models import Delivery, Notification, NotificationPreference
from tests.crm.notifications.conftest import NOW


def notify(user, title="回电", due_on=None):
    return Notification.objects.create(
        user=user, kind="todo_due", key=f"k:{title}", title=title, url="/x/", due_on=due_on
    )


@pytest.fixture
def owner(personas):
    personas.owner.email = "owner@example.com"
    personas.owner.language = "en"
    personas.owner.save()
    return personas.owner


def test_the_digest_goes_once_a_day_from_the_users_hour(owner):
    notify(owner, "call the CFO", due_on=NOW.date())
    NotificationPreference.objects.create(user=owner, digest_hour=10)
    tasks.send_digests.delay()
    assert mail.outbox == []  # 09:00, the user chose 10:00
    with time_machine.travel(NOW + dt.timedelta(hours=1, minutes=5), tick=False):
        tasks.send_digests.delay()
        tasks.send_digests.delay()  # the schedule fires twice: one e-mail
    (message,) = mail.outbox
    assert message.to == ["owner@example.com"]
    assert message.subject == "Your Cuilong CRM day: 1 reminder(s)"
    assert "call the CFO (due today)" in message.body
    assert Delivery.objects.get().status == "sent"


def test_the_digest_speaks_the_users_language(owner):
    owner.language = "zh-hans"
    owner.save()
    notify(owner, "回电", due_on=NOW.date() - dt.timedelta(days=2))
    tasks.send_digests.delay()
    (message,) = mail.outbox
    assert "回电（已逾期 2 天）" in message.body or "回电 (已逾期 2 天)" in message.body
    assert message.subject.startswith("你今天在摧龙 CRM")


def test_nothing_to_say_sends_nothing_and_choices_hold(owner, personas):
    NotificationPreference.objects.create(user=owner, email=False)
    notify(owner)
    personas.teammate.email = ""  # no address, no digest
    personas.teammate.save()
    notify(personas.teammate)
    tasks.send_digests.delay()
    assert mail.outbox == []
    assert not Delivery.objects.exists()


def test_quiet_hours_hold_the_digest(owner):
    NotificationPreference.objects.create(
        user=owner, digest_hour=8, quiet_from=dt.time(8, 30), quiet_until=dt.time(9, 30)
    )
    notify(owner)
    tasks.send_digests.delay()
    assert mail.outbox == []
    with time_machine.travel(NOW + dt.timedelta(minutes=40), tick=False):
        tasks.send_digests.delay()
    assert len(mail.outbox) == 1


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_smtp_round_trip(owner):
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
        ):
            notify(owner, "call the CFO")
            tasks.send_digests.delay()
    finally:
        controller.stop()
    (envelope,) = handler.messages
    assert envelope.rcpt_tos == ["owner@example.com"]
    assert b"call the CFO" in envelope.content
    assert Delivery.objects.get().status == "sent"


def test_an_unreachable_smtp_server_is_logged_and_nothing_is_lost(owner):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=free_port(),  # nobody listens
        EMAIL_TIMEOUT=2,
    ):
        notify(owner)
        tasks.send_digests.delay()
    failed = Delivery.objects.get()
    assert failed.status == "failed" and failed.attempts == 5
    assert "ConnectionRefusedError" in failed.result
    assert Notification.objects.get().read_at is None  # still in the inbox


def test_a_second_claim_of_the_same_digest_gets_nothing(owner):
    """The interleaving of a race, step by step: both workers found the digest due; the
    second insert of the unique row fails, so only the first sends."""
    notify(owner)
    first = delivery.claim_digests(now=NOW)
    second = delivery.claim_digests(now=NOW)
    assert len(first) == 1 and second == []
    for delivery_id in first + first:  # a retry after a lost acknowledgement, too
        delivery.attempt(delivery_id)
    assert len(mail.outbox) == 1


@pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite locks the whole database for each writer"
)
@pytest.mark.django_db(transaction=True)
def test_two_racing_workers_send_one_digest(owner):
    """Two workers claim the same digest at the same moment (PostgreSQL): one unique delivery
    row wins, one e-mail goes out."""
    notify(owner)
    barrier = threading.Barrier(2)
    claimed, errors = [], []

    def worker():
        try:
            barrier.wait()
            ids = delivery.claim_digests(now=NOW)
            claimed.extend(ids)
            for delivery_id in ids:
                delivery.attempt(delivery_id)
        except Exception as exc:  # reported below: a crashed worker proves nothing
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(claimed) == 1
    assert Delivery.objects.count() == 1
    assert len(mail.outbox) == 1
