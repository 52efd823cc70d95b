"""Outbound webhooks against a local endpoint on 127.0.0.1: the signature checked by a
verifier written here from the documented format, retries with back-off on a 500 and on a
timeout, failure after the last attempt, replay from the admin, nothing sent for a change
that was rolled back, and each event emitted by the service that makes the change."""

import datetime as dt
import hashlib
import hmac
import json
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from accounts import services as account_services
from accounts.forms import AccountForm
from crm.celery import app
from crm.concurrency import version_of
from crm.schedule import SCHEDULE
from crm.webhooks import delivery, signing, tasks
from crm.webhooks.events import Event, emit
from crm.webhooks.models import Subscription, WebhookDelivery
from opportunities.deals import services as deal_services
from opportunities.models import Contract, PaymentMilestone, Status
from opportunities.moves import services as move_services
from opportunities.moves.contract_forms import ReceiptForm
from relationships import services as relationship_services
from tests.factories import ContactFactory
from tests.opportunities.factories import OpportunityFactory

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
SECRET = "whsec_test-secret"
HANG = "hang"  # an answer that never comes (until the test ends)


def reference_verify(secret: str, body: bytes, header: str, *, now: float, tolerance=300):
    """A receiver's check, written from the documentation alone (not from crm.webhooks)."""
    fields = dict(part.split("=", 1) for part in header.split(","))
    timestamp = int(fields["t"])
    if abs(now - timestamp) > tolerance:
        return False
    signed = f"{timestamp}.{body.decode('utf-8')}".encode()
    expected = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, fields["v1"])


@dataclass
class Receiver:
    url: str = ""
    requests: list = field(default_factory=list)
    answers: list = field(default_factory=list)  # status codes (or HANG), in order; then 200
    release: threading.Event = field(default_factory=threading.Event)


@pytest.fixture
def receiver():
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            receiver.requests.append({"path": self.path, "headers": self.headers, "body": body})
            status = receiver.answers.pop(0) if receiver.answers else 200
            if status == HANG:
                receiver.release.wait(10)
                status = 200
            try:
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")
            except OSError:  # the sender gave up waiting
                pass

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hooks/crm"
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield receiver
    receiver.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def subscription(db, receiver):
    return Subscription.objects.create(
        name="ERP", url=receiver.url, secret=SECRET, events=list(Event.values)
    )


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """Emit an event as a service does and let its transaction commit (the send task runs in
    this process); the delivery made."""

    def emitted(event=Event.DEAL_WON, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            emit(event, data or {"id": 7, "name": "扩容项目"})
        return WebhookDelivery.objects.latest("pk")

    return emitted


def seconds(moment: dt.datetime) -> float:
    return moment.timestamp()


# The signature


def test_the_reference_verifier_accepts_our_signature_and_nothing_else():
    body = json.dumps({"event": "deal.won", "data": {"name": "扩容项目"}}, ensure_ascii=False)
    body = body.encode()
    header = signing.sign(SECRET, body, timestamp=1_700_000_000)
    assert reference_verify(SECRET, body, header, now=1_700_000_010)
    assert not reference_verify(SECRET, body.replace(b"won", b"lost"), header, now=1_700_000_010)
    assert not reference_verify("whsec_other", body, header, now=1_700_000_010)
    assert not reference_verify(SECRET, body, header, now=1_700_000_000 + 301)
    # Our own verify() (for receivers written in Python) agrees.
    assert signing.verify(SECRET, body, header, now=1_700_000_010)
    assert not signing.verify(SECRET, body + b" ", header, now=1_700_000_010)
    assert not signing.verify("whsec_other", body, header, now=1_700_000_010)
    assert not signing.verify(SECRET, body, header, now=1_700_000_000 + 301)
    assert not signing.verify(SECRET, body, "v1=" + header.split("v1=")[1], now=1_700_000_000)


def test_a_delivery_arrives_signed_with_its_event_and_id(subscription, receiver, send):
    sent = send(Event.DEAL_WON, {"id": 7, "name": "扩容项目", "amount": "100000.00"})
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_code, sent.error) == ("sent", 1, 200, "")
    assert sent.delivered_at == NOW
    [request] = receiver.requests
    headers, body = request["headers"], request["body"]
    assert request["path"] == "/hooks/crm"
    assert headers["Content-Type"] == "application/json; charset=utf-8"
    assert headers["X-Cuilong-Event"] == "deal.won"
    assert headers["X-Cuilong-Delivery"] == str(sent.pk)
    assert reference_verify(SECRET, body, headers["X-Cuilong-Signature"], now=seconds(NOW))
    payload = json.loads(body)
    assert dt.datetime.fromisoformat(payload.pop("occurred_at")) == NOW
    assert payload == {
        "event": "deal.won",
        "data": {"id": 7, "name": "扩容项目", "amount": "100000.00"},
    }


def test_only_active_subscriptions_to_the_event_get_it(subscription, receiver, send):
    Subscription.objects.create(name="off", url=receiver.url, events=list(Event.values))
    Subscription.objects.filter(name="off").update(is_active=False)
    Subscription.objects.create(name="BI", url=receiver.url, events=[Event.ACCOUNT_CREATED])
    send(Event.DEAL_LOST)
    assert list(WebhookDelivery.objects.values_list("subscription__name", flat=True)) == ["ERP"]
    assert len(receiver.requests) == 1


def test_an_event_of_a_rolled_back_change_is_never_sent(
    subscription, receiver, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        emit(Event.DEAL_WON, {"id": 7})
        raise RuntimeError("the save failed")
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []


def test_an_unknown_event_is_a_programming_error(db):
    with pytest.raises(ValueError):
        emit("deal.exploded", {})


# Retries


@override_settings(WEBHOOK_BACKOFF_SECONDS=60)
def test_a_500_is_retried_with_growing_back_off_until_it_succeeds(subscription, receiver, send):
    receiver.answers = [500, 500]
    sent = send()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_code) == ("pending", 1, 500)
    assert sent.error.startswith("HTTP 500")
    first_wait = sent.next_attempt_at - NOW
    assert first_wait == dt.timedelta(seconds=60)

    with time_machine.travel(NOW + dt.timedelta(seconds=59), tick=False):
        tasks.sweep_webhooks.delay()  # not due yet: nothing sent
    assert len(receiver.requests) == 1

    second = sent.next_attempt_at
    with time_machine.travel(second, tick=False):
        tasks.sweep_webhooks.delay()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_code) == ("pending", 2, 500)
    assert sent.next_attempt_at - second == dt.timedelta(seconds=120) > first_wait

    third = sent.next_attempt_at
    with time_machine.travel(third, tick=False):
        tasks.sweep_webhooks.delay()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_code, sent.error) == ("sent", 3, 200, "")
    assert (sent.delivered_at, sent.next_attempt_at) == (third, None)
    # The same delivery each time, signed afresh at each attempt.
    moments = [NOW, second, third]
    assert len({r["body"] for r in receiver.requests}) == 1
    for request, moment in zip(receiver.requests, moments, strict=True):
        assert request["headers"]["X-Cuilong-Delivery"] == str(sent.pk)
        header = request["headers"]["X-Cuilong-Signature"]
        assert reference_verify(SECRET, request["body"], header, now=seconds(moment))


@override_settings(WEBHOOK_TIMEOUT_SECONDS=0.2)
def test_a_receiver_that_does_not_answer_in_time_is_tried_again(subscription, receiver, send):
    receiver.answers = [HANG]
    sent = send()
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_code) == ("pending", 1, None)
    assert "timed out" in sent.error
    assert delivery.due(now=sent.next_attempt_at) == [sent.pk]
    assert delivery.attempt(sent.pk, now=sent.next_attempt_at) == "sent"
    assert len(receiver.requests) == 2


@override_settings(WEBHOOK_MAX_ATTEMPTS=3)
def test_after_the_last_attempt_the_delivery_is_failed(subscription, receiver, send):
    receiver.answers = [500, 503, 502, 500]
    sent = send()
    for _ in range(2):
        sent.refresh_from_db()
        assert delivery.attempt(sent.pk, now=sent.next_attempt_at) in {"pending", "failed"}
    sent.refresh_from_db()
    assert (sent.status, sent.attempts, sent.response_code, sent.next_attempt_at) == (
        "failed",
        3,
        502,
        None,
    )
    assert delivery.due(now=NOW + dt.timedelta(days=30)) == []
    assert delivery.attempt(sent.pk, now=NOW + dt.timedelta(days=30)) == "skipped"
    assert len(receiver.requests) == 3


def test_a_delivery_is_sent_once_by_racing_workers(subscription, receiver, send):
    receiver.answers = [500]
    sent = send()
    sent.refresh_from_db()
    due = sent.next_attempt_at
    assert delivery._claim(sent.pk, due, 5)  # another worker is sending it
    assert delivery.attempt(sent.pk, now=due) == "skipped"
    later = due + dt.timedelta(minutes=2)  # that worker died: the claim runs out
    assert delivery.attempt(sent.pk, now=later) == "sent"
    assert delivery.attempt(sent.pk, now=later) == "skipped"  # sent is never sent again
    assert len(receiver.requests) == 2


def test_a_redirect_is_not_followed(subscription, receiver, send):
    receiver.answers = [307]
    sent = send()
    sent.refresh_from_db()
    assert (sent.status, sent.response_code, len(receiver.requests)) == ("pending", 307, 1)


def test_the_sweep_is_scheduled_and_the_worker_finds_the_tasks():
    assert ("Webhook retries", "crm.sweep_webhooks", ("*", "*"), {}) in SCHEDULE
    app.loader.import_default_modules()  # what a worker does at start
    assert {"crm.send_webhook", "crm.sweep_webhooks"} <= set(app.tasks)


# The admin


def test_replaying_from_the_admin_sends_a_new_delivery(
    subscription, receiver, send, personas, client_for, django_capture_on_commit_callbacks
):
    receiver.answers = [500]
    original = send()
    url = reverse("admin:crm_webhookdelivery_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(personas.admin).post(
            url, {"action": "replay", "_selected_action": [original.pk]}
        )
    assert response.status_code == 302
    replay = WebhookDelivery.objects.get(replay_of=original)
    assert (replay.status, replay.attempts, replay.response_code) == ("sent", 1, 200)
    assert replay.payload == original.payload
    assert [r["headers"]["X-Cuilong-Delivery"] for r in receiver.requests] == [
        str(original.pk),
        str(replay.pk),
    ]


def test_the_admin_pages_open_and_show_the_secret(subscription, send, personas, client_for):
    send()
    client = client_for(personas.admin)
    for name in ["crm_subscription_changelist", "crm_webhookdelivery_changelist"]:
        assert client.get(reverse(f"admin:{name}")).status_code == 200
    page = client.get(reverse("admin:crm_subscription_change", args=[subscription.pk]))
    assert page.status_code == 200
    assert SECRET in page.content.decode()
    assert 'type="checkbox" name="events" value="payment.received"' in page.content.decode()
    delivery_page = reverse("admin:crm_webhookdelivery_change", args=[send().pk])
    assert client.get(delivery_page).status_code == 200


def test_the_admin_subscribes_and_regenerates_the_secret(personas, client_for):
    client = client_for(personas.admin)
    add = reverse("admin:crm_subscription_add")
    data = {"name": "ERP", "url": "ftp://erp.example.com/in", "events": ["deal.won"]}
    response = client.post(add, {**data, "is_active": "on"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200  # refused: not http(s)
    assert not Subscription.objects.exists()
    client.post(add, {**data, "url": "https://erp.example.com/in", "is_active": "on"})
    made = Subscription.objects.get()
    assert (made.events, made.secret.startswith("whsec_")) == (["deal.won"], True)
    change = reverse("admin:crm_subscription_change", args=[made.pk])
    client.post(change, {**data, "url": made.url, "is_active": "on", "new_secret": "on"})
    assert Subscription.objects.get().secret not in {"", made.secret}


def test_a_subscription_needs_an_http_url_and_known_events(db):
    for url, events in [
        ("ftp://erp.example.com/in", ["deal.won"]),
        ("javascript:alert(1)", ["deal.won"]),
        ("https://erp.example.com/in", []),
        ("https://erp.example.com/in", ["deal.exploded"]),
    ]:
        with pytest.raises(ValidationError):
            Subscription(name="x", url=url, events=events).full_clean()
    Subscription(name="x", url="http://10.0.0.5:8080/in", events=["deal.won"]).full_clean()


# Each event from the service that makes the change


def sent_events(receiver) -> list[tuple[str, dict]]:
    return [
        (json.loads(r["body"])["event"], json.loads(r["body"])["data"]) for r in receiver.requests
    ]


def test_creating_an_account_announces_it(
    subscription, receiver, personas, django_capture_on_commit_callbacks
):
    data = {"name": "华东电网", "status": "prospect", "owner": personas.owner.pk}
    form = AccountForm(data=data, user=personas.owner)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        account = account_services.save_account(form)
    edit = AccountForm(
        data={**data, "name": "华东电网公司", "version": version_of(account)},
        instance=account,
        user=personas.owner,
    )
    assert edit.is_valid(), edit.errors
    with django_capture_on_commit_callbacks(execute=True):
        account_services.save_account(edit)  # an edit is not a creation
    assert sent_events(receiver) == [
        (
            "account.created",
            {
                "id": account.pk,
                "name": "华东电网",
                "status": "prospect",
                "owner_id": account.owner_id,
            },
        )
    ]


def test_moving_a_deal_into_move_6_announces_the_move_and_the_win(
    subscription, receiver, personas, django_capture_on_commit_callbacks
):
    deal = OpportunityFactory(account__owner=personas.owner, amount=Decimal("7000"))
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.change_move(
            deal, to_move=6, by=personas.admin, override=True, reason="Signed"
        )
    expected = {
        "id": deal.pk,
        "name": deal.name,
        "account_id": deal.account_id,
        "owner_id": personas.owner.pk,
        "move": 6,
        "status": "won",
        "amount": "7000.00",
    }
    assert sent_events(receiver) == [
        ("deal.moved", {**expected, "from_move": 1}),
        ("deal.won", expected),
    ]


def test_closing_a_deal_as_lost_announces_it(
    subscription, receiver, personas, django_capture_on_commit_callbacks
):
    deal = OpportunityFactory(account__owner=personas.owner)
    with django_capture_on_commit_callbacks(execute=True):
        deal_services.set_outcome(
            deal,
            status=Status.LOST,
            by=personas.owner,
            data={"lost_reason": "Price", "lost_at_buyer_stage": "commit", "lost_to": None},
        )
    [(event, data)] = sent_events(receiver)
    assert (event, data["id"], data["status"], data["move"]) == ("deal.lost", deal.pk, "lost", 1)


def test_a_receipt_announces_the_payment(
    subscription, receiver, personas, django_capture_on_commit_callbacks
):
    deal = OpportunityFactory(account__owner=personas.owner, status="won", move=6)
    today = NOW.date()
    Contract.objects.create(opportunity=deal, signed_on=today, amount=Decimal("1000"))
    milestone = PaymentMilestone.objects.create(
        opportunity=deal, name="signing", amount=Decimal("300"), due_date=today
    )
    data = {"milestone": milestone.pk, "amount": "120.50", "received_on": "2026-03-02"}
    form = ReceiptForm(data=data, opportunity=deal, user=personas.owner)
    assert form.is_valid(), form.errors
    with django_capture_on_commit_callbacks(execute=True):
        receipt = move_services.save_receipt(form)
    assert sent_events(receiver) == [
        (
            "payment.received",
            {
                "id": receipt.pk,
                "milestone_id": milestone.pk,
                "opportunity_id": deal.pk,
                "amount": "120.50",
                "received_on": "2026-03-02",
            },
        )
    ]


def test_a_stage_change_announces_it(
    subscription, receiver, personas, django_capture_on_commit_callbacks
):
    contact = ContactFactory(account__owner=personas.owner)
    with django_capture_on_commit_callbacks(execute=True):
        change = relationship_services.change_stage(contact=contact, to_stage=2, by=personas.owner)
    assert sent_events(receiver) == [
        (
            "relationship.stage_changed",
            {
                "id": change.pk,
                "contact_id": contact.pk,
                "from_stage": 1,
                "to_stage": 2,
                "changed_by_id": personas.owner.pk,
            },
        )
    ]
