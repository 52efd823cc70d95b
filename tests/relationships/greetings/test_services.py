"""Drafts, sending, the one-greeting rule, consent at the moment of sending, the WeChat copy,
scheduling and cancelling; e-mail through a local SMTP server (aiosmtpd)."""

import socket
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone, translation

from relationships import care_selectors, selectors, tasks
from relationships.greetings import services
from relationships.models import (
    Activity,
    CommunicationPreference,
    Greeting,
    GreetingSetting,
    Relationship,
)
from tests.relationships.greetings.conftest import MID_AUTUMN_2027

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAYTIME = datetime(2026, 11, 18, 10, 0, tzinfo=SHANGHAI)  # outside the SMS quiet hours


def drafts(user, contacts, channel="email", festival=None, occasion="festival"):
    return services.drafts(
        user=user,
        contacts=contacts,
        occasion=occasion,
        festival=festival,
        day=MID_AUTUMN_2027,
        channel=channel,
    )


def send(user, found, festival, **kwargs):
    return services.send(
        user=user,
        drafts_to_send=found,
        occasion="festival",
        festival=festival,
        day=MID_AUTUMN_2027,
        **kwargs,
    )


def test_each_person_gets_the_text_of_their_language_and_personality(personas, people, seeded):
    Relationship.objects.create(contact=people.contact, personality="owl")
    CommunicationPreference.objects.create(
        contact=people.other_contact, language="en", salutation="Ms Xu"
    )
    zhou, linda = sorted(
        drafts(personas.owner, [people.contact, people.other_contact], festival=seeded),
        key=lambda d: d.contact.name != "周建国",
    )
    # 中秋 has a text of its own; no owl variant of it, so the festival's general one.
    assert zhou.text.startswith("周建国您好！月圆人团圆")
    assert zhou.subject == "中秋快乐" and zhou.language == "zh-hans"
    assert linda.text.startswith("Dear Ms Xu,\nMay the full moon")
    assert linda.text.endswith(f"\n{personas.owner}")  # the rep's signature


def test_a_personality_variant_is_picked_for_a_birthday(personas, people, seeded):
    Relationship.objects.create(contact=people.contact, personality="tiger")
    (draft,) = drafts(personas.owner, [people.contact], occasion="birthday")
    assert draft.text == f"周建国，生日快乐，祝新的一年再创佳绩。\n{personas.owner}"


@pytest.mark.parametrize(
    ("channel", "change", "refusal"),
    [
        ("email", {"email": ""}, "No e-mail address."),
        ("sms", {"mobile": ""}, "No mobile number."),
        ("email", {"email_allowed": False}, "Does not want e-mail."),
        ("sms", {"sms_allowed": False}, "Does not want SMS."),
        ("wechat", {"email_allowed": False, "sms_allowed": False}, ""),
    ],
)
def test_a_person_who_cannot_be_reached_is_shown_and_skipped(
    personas, people, seeded, channel, change, refusal
):
    contact = people.contact
    for name in ("email", "mobile"):
        if name in change:
            setattr(contact, name, change.pop(name))
    contact.save()
    if change:
        CommunicationPreference.objects.create(contact=contact, **change)
    with translation.override("en"):
        (draft,) = drafts(personas.owner, [contact], channel=channel, festival=seeded)
        created, refused = send(personas.owner, [draft], seeded, now=DAYTIME)
    assert draft.refusal == refusal
    assert (refused.get(contact.pk, "")) == refusal
    assert len(created) == (0 if refusal else 1)


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=controller.port,
        EMAIL_TIMEOUT=5,
    ):
        yield handler
    controller.stop()


def test_sent_by_email_and_logged_as_a_greeting(
    personas, people, seeded, smtp, django_capture_on_commit_callbacks
):
    found = drafts(personas.owner, [people.contact, people.other_contact], festival=seeded)
    found[0].text = "周建国您好，中秋快乐！（改过的）"
    with django_capture_on_commit_callbacks(execute=True):
        created, refused = send(personas.owner, found, seeded)
    assert refused == {}
    assert sorted(m.rcpt_tos[0] for m in smtp.messages) == ["linda@example.com", "zhou@example.com"]
    assert any("（改过的）" in m.content.decode() for m in smtp.messages)
    greetings = Greeting.objects.order_by("pk")
    assert [g.status for g in greetings] == ["sent", "sent"]
    activities = Activity.objects.filter(type__code="greeting")
    assert activities.count() == 2
    activity = greetings[0].activity
    assert list(activity.contacts.all()) == [greetings[0].contact]
    assert activity.type.stage is None  # never evidence of a stage
    assert "中秋节" in activity.notes and greetings[0].text in activity.notes


def test_a_second_greeting_for_the_occasion_is_refused_with_the_date_of_the_first(
    personas, people, seeded
):
    send(personas.owner, drafts(personas.owner, [people.contact], festival=seeded), seeded)
    first = timezone.localdate().isoformat()
    with translation.override("en"):
        again = drafts(personas.manager, [people.contact], channel="sms", festival=seeded)
        assert again[0].refusal == f"Already greeted for this occasion on {first}."
        # A stale preview (two tabs): the database's constraint refuses it too.
        again[0].refusal = ""
        created, refused = send(personas.manager, again, seeded)
    assert created == []
    assert refused[people.contact.pk] == f"Already greeted for this occasion on {first}."
    assert Greeting.objects.count() == 1


def test_a_provider_error_fails_the_greeting_with_its_message_and_logs_nothing(
    personas, people, seeded, monkeypatch, django_capture_on_commit_callbacks
):
    class Broken:
        def send(self, mobile, text):
            raise services.sms.SmsError("isv.BUSINESS_LIMIT_CONTROL: 触发流控")

    monkeypatch.setattr(services.sms, "provider", Broken)
    found = drafts(personas.owner, [people.contact], channel="sms", festival=seeded)
    with django_capture_on_commit_callbacks(execute=True):
        (greeting,), _refused = send(personas.owner, found, seeded, now=DAYTIME)
    greeting.refresh_from_db()
    assert greeting.status == "failed"
    assert greeting.attempts == services.MAX_ATTEMPTS  # the worker retried
    assert "触发流控" in greeting.result
    assert greeting.sent_at is None and greeting.activity is None
    assert not Activity.objects.filter(type__code="greeting").exists()

    monkeypatch.setattr(services.sms, "provider", services.sms.ConsoleProvider)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry(greeting)
    greeting.refresh_from_db()
    assert greeting.status == "sent" and greeting.activity is not None


def test_an_sms_asked_for_in_quiet_hours_waits_for_their_end(personas, people, seeded):
    late = datetime(2026, 11, 18, 22, 30, tzinfo=SHANGHAI)
    found = drafts(personas.owner, [people.contact], channel="sms", festival=seeded)
    (greeting,), _refused = send(personas.owner, found, seeded, now=late)
    assert greeting.status == "scheduled"
    assert greeting.scheduled_for == datetime(2026, 11, 19, 8, 0, tzinfo=SHANGHAI)
    assert services.release_due(datetime(2026, 11, 19, 7, 59, tzinfo=SHANGHAI)) == []
    assert services.release_due(datetime(2026, 11, 19, 8, 0, tzinfo=SHANGHAI)) == [greeting.pk]


def test_scheduled_for_the_morning_sent_by_the_worker_then(personas, people, seeded, smtp):
    found = drafts(personas.owner, [people.contact], festival=seeded)
    (greeting,), _refused = send(personas.owner, found, seeded, schedule=True)
    assert greeting.scheduled_for == datetime(2027, 9, 15, 9, 0, tzinfo=SHANGHAI)
    assert greeting.status == "scheduled"
    with time_machine.travel(greeting.scheduled_for, tick=False):
        tasks.send_due_greetings.delay()
    greeting.refresh_from_db()
    assert greeting.status == "sent"
    assert len(smtp.messages) == 1


def test_a_scheduled_greeting_can_be_cancelled_until_it_is_sent(personas, people, seeded):
    found = drafts(personas.owner, [people.contact], festival=seeded)
    (greeting,), _refused = send(personas.owner, found, seeded, schedule=True)
    assert services.cancel(greeting)
    assert not services.cancel(greeting)  # once
    assert services.release_due(greeting.scheduled_for) == []
    # The occasion is free again.
    again = drafts(personas.owner, [people.contact], festival=seeded)
    assert again[0].refusal == ""


def test_a_morning_already_past_cannot_be_scheduled(personas, people, seeded):
    found = drafts(personas.owner, [people.contact], festival=seeded)
    with pytest.raises(ValidationError):
        services.send(
            user=personas.owner,
            drafts_to_send=found,
            occasion="festival",
            festival=seeded,
            day=timezone.localdate() - timedelta(days=1),
            schedule=True,
        )


def test_consent_withdrawn_before_sending_fails_the_greeting_without_sending(
    personas, people, seeded, smtp
):
    found = drafts(personas.owner, [people.contact], festival=seeded)
    (greeting,), _refused = send(personas.owner, found, seeded, schedule=True)
    CommunicationPreference.objects.create(
        contact=people.contact, email_allowed=False, reason="asked by phone"
    )
    services.release_due(greeting.scheduled_for)
    with translation.override("en"):
        assert services.attempt(greeting.pk)
    greeting.refresh_from_db()
    assert (greeting.status, greeting.result) == ("failed", "Does not want e-mail.")
    assert smtp.messages == []


def test_a_wechat_copy_is_sent_once_the_rep_confirms(personas, people, seeded):
    found = drafts(personas.owner, [people.contact], channel="wechat", festival=seeded)
    (greeting,), _refused = send(personas.owner, found, seeded)
    assert greeting.status == "copied" and greeting.activity is None
    assert services.confirm_copied(greeting)
    assert not services.confirm_copied(greeting)
    greeting.refresh_from_db()
    assert greeting.status == "sent"
    assert greeting.activity.type.code == "greeting"


def test_a_sent_greeting_keeps_in_touch_but_is_no_evidence_of_a_stage(personas, people, seeded):
    Relationship.objects.create(contact=people.contact, stage=2)
    Relationship.objects.filter(contact=people.contact).update(
        created_at=timezone.now() - timedelta(days=200)
    )
    today = timezone.localdate()
    cooling = care_selectors.cooling_relationships(personas.owner, today)
    assert [item.relationship.contact_id for item in cooling] == [people.contact.pk]

    found = drafts(personas.owner, [people.contact], channel="wechat", festival=seeded)
    (greeting,), _refused = send(personas.owner, found, seeded)
    services.confirm_copied(greeting)

    assert care_selectors.cooling_relationships(personas.owner, today) == []
    page = selectors.relationship_page(personas.owner, people.contact.pk, today)
    assert page.last_activity == today
    assert page.best_evidence is None and not page.supported


def test_a_scheduled_sms_whose_morning_is_in_quiet_hours_waits_for_their_end(
    personas, people, seeded
):
    GreetingSetting.objects.update(morning_at="07:00")
    found = drafts(personas.owner, [people.contact], channel="sms", festival=seeded)
    (greeting,), _refused = send(personas.owner, found, seeded, schedule=True)
    assert greeting.scheduled_for == datetime(2027, 9, 15, 8, 0, tzinfo=SHANGHAI)
    found = drafts(personas.owner, [people.other_contact], festival=seeded)
    (email,), _refused = send(personas.owner, found, seeded, schedule=True)
    assert email.scheduled_for == datetime(2027, 9, 15, 7, 0, tzinfo=SHANGHAI)


def test_a_greeting_a_stopped_worker_left_sending_is_failed_not_sent(personas, people, seeded):
    found = drafts(personas.owner, [people.contact], channel="wechat", festival=seeded)
    (greeting,), _refused = send(personas.owner, found, seeded)
    Greeting.objects.filter(pk=greeting.pk).update(status="sending")
    now = timezone.now()
    assert services.fail_stalled(now + timedelta(minutes=14)) == 0
    assert services.fail_stalled(now + timedelta(minutes=16)) == 1
    greeting.refresh_from_db()
    assert greeting.status == "failed" and greeting.sent_at is None
    assert greeting.activity is None


@pytest.mark.parametrize(
    ("days_later", "refused"),
    [(0, True), (366, False)],  # the same birthday, next year's
)
def test_one_birthday_greeting_per_person_and_birthday(
    personas, people, seeded, days_later, refused
):
    birthday = MID_AUTUMN_2027
    (draft,) = services.drafts(
        user=personas.owner,
        contacts=[people.contact],
        occasion="birthday",
        festival=None,
        day=birthday,
        channel="wechat",
    )
    services.send(
        user=personas.owner,
        drafts_to_send=[draft],
        occasion="birthday",
        festival=None,
        day=birthday,
    )
    later = birthday + timedelta(days=days_later)
    found = services.drafts(
        user=personas.owner,
        contacts=[people.contact, people.other_contact],
        occasion="birthday",
        festival=None,
        day=None,
        days={people.contact.pk: later, people.other_contact.pk: birthday},
        channel="wechat",
    )
    refusals = {d.contact.pk: bool(d.refusal) for d in found}
    assert refusals == {people.contact.pk: refused, people.other_contact.pk: False}
