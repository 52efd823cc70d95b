"""The writes of greetings: preview (drafts), send or schedule, one try on the worker, the
WeChat confirmation, cancel and retry. Nothing is marked sent that was not: a greeting is
"sent" only after the channel took it (or the rep confirmed the WeChat copy), and only then
is it logged on the person as an activity of the type "greeting"."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Contact
from relationships.greetings import placeholders, rules, sms
from relationships.greetings.defaults import ensure_greeting_type
from relationships.greetings.models import (
    Channel,
    CommunicationPreference,
    Greeting,
    GreetingSetting,
    GreetingTemplate,
    Occasion,
)
from relationships.models import Activity, ActivityType, Festival

MAX_ATTEMPTS = 5


@dataclass
class Draft:
    """One person's personalised message, before it is sent."""

    contact: Contact
    channel: str
    target: str
    language: str
    subject: str
    text: str
    refusal: str = ""
    day: date | None = None


def occasion_key(occasion: str, festival: Festival | None) -> str:
    return f"festival:{festival.pk}" if occasion == Occasion.FESTIVAL else "birthday"


def occasion_name(occasion: str, festival: Festival | None, language: str) -> str:
    if occasion == Occasion.BIRTHDAY:
        return "生日" if language.startswith("zh") else "birthday"
    if language.startswith("zh"):
        return festival.name_zh or festival.name_en
    return festival.name_en or festival.name_zh


def pick_template(templates, *, occasion, festival_id, language, personality):
    """The most specific active template: this festival's before the general one, the
    person's personality variant before the one for everyone."""
    ranked = []
    for t in templates:
        if not t.is_active or t.occasion != occasion or t.language != language:
            continue
        if t.festival_id not in (None, festival_id) or t.personality not in ("", personality):
            continue
        ranked.append((t.festival_id is None, t.personality == "", t.pk, t))
    return min(ranked)[-1] if ranked else None


def _values(contact, preference, user, occasion_text, language, setting) -> dict:
    company = setting.company_zh if language.startswith("zh") else setting.company_en
    rep = str(user)
    return {
        "salutation": (preference.salutation if preference else "") or contact.name,
        "name": contact.name,
        "company": contact.account.name,
        "occasion": occasion_text,
        "rep": rep,
        "signature": f"{rep} · {company}" if company else rep,
    }


def _address(contact, channel: str) -> str:
    return {Channel.EMAIL: contact.email, Channel.SMS: contact.mobile}.get(channel, "")


def _allowed(preference, channel: str) -> bool:
    if preference is None:
        return True
    return {Channel.EMAIL: preference.email_allowed, Channel.SMS: preference.sms_allowed}.get(
        channel, True
    )


def first_greetings(days: dict[int, date], key: str) -> dict[int, date]:
    """The day each person was first greeted for this occasion on their day (one query)."""
    rows = Greeting.objects.filter(
        contact_id__in=list(days),
        occasion_key=key,
        occasion_date__in=set(days.values()),
        status__in=Greeting.HOLDING,
    ).values_list("contact_id", "occasion_date", "created_at")
    found = {}
    for contact_id, day, created in rows:
        if days.get(contact_id) == day:
            found.setdefault(contact_id, timezone.localdate(created))
    return found


def drafts(*, user, contacts, occasion, festival, day, channel, days=None) -> list[Draft]:
    """The personalised message of each person for the occasion on `day` (or, birthdays, on
    each person's day in `days`). Queries: templates, preferences and personalities with the
    people, earlier greetings, the setting: 4."""
    templates = list(GreetingTemplate.objects.filter(is_active=True, occasion=occasion))
    people = list(
        Contact.objects.filter(pk__in=[c.pk for c in contacts])
        .select_related("account", "communication_preference", "relationship")
        .order_by("name", "pk")
    )
    days = days or {c.pk: day for c in people}
    earlier = first_greetings(days, occasion_key(occasion, festival))
    setting = GreetingSetting.current()
    festival_id = festival.pk if festival else None
    found = []
    for contact in people:
        preference = getattr(contact, "communication_preference", None)
        relationship = getattr(contact, "relationship", None)
        language = preference.language if preference else "zh-hans"
        personality = relationship.personality if relationship else ""
        template = pick_template(
            templates,
            occasion=occasion,
            festival_id=festival_id,
            language=language,
            personality=personality,
        )
        values = _values(
            contact,
            preference,
            user,
            occasion_name(occasion, festival, language),
            language,
            setting,
        )
        target = _address(contact, channel)
        reach = rules.Reach(channel, target, _allowed(preference, channel), earlier.get(contact.pk))
        found.append(
            Draft(
                contact=contact,
                channel=channel,
                target=target,
                language=language,
                subject=placeholders.render(template.subject, values) if template else "",
                text=placeholders.render(template.body, values) if template else "",
                refusal=rules.refusal(reach) or ("" if template else _("No template.")),
                day=days[contact.pk],
            )
        )
    return found


def _enqueue(ids: list[int]) -> None:
    from relationships import tasks  # the tasks call these services

    for greeting_id in ids:
        transaction.on_commit(lambda pk=greeting_id: tasks.send_greeting.delay(pk))


def send(*, user, drafts_to_send, occasion, festival, day, schedule=False, now=None):
    """Create a greeting per draft that may go and hand it to the worker: now, or (schedule)
    on the morning of the day; an SMS asked for in quiet hours waits for their end; a WeChat
    copy waits for the rep's confirmation. Returns (greetings, refusals by contact id)."""
    now = now or timezone.now()
    local_now = timezone.localtime(now)
    setting = GreetingSetting.current()
    key = occasion_key(occasion, festival)
    morning = rules.morning_of(day, setting.morning_at, local_now) if schedule else None
    if schedule and morning is None:
        raise ValidationError(_("The morning of %(day)s has passed.") % {"day": day.isoformat()})
    created, refused, queued = [], {}, []
    for draft in drafts_to_send:
        if draft.refusal:
            refused[draft.contact.pk] = draft.refusal
            continue
        if not draft.text.strip():
            refused[draft.contact.pk] = _("The text is empty.")
            continue
        status, when = Greeting.Status.QUEUED, morning
        if draft.channel == Channel.WECHAT:
            status, when = Greeting.Status.COPIED, None
        elif draft.channel == Channel.SMS:
            # Now or at the scheduled morning: never in the quiet hours.
            moment = timezone.localtime(when) if when else local_now
            held = rules.sms_hold_until(moment, setting.sms_quiet_from, setting.sms_quiet_until)
            when = held or when
        if when is not None:
            status = Greeting.Status.SCHEDULED
        greeting = Greeting(
            account_id=draft.contact.account_id,
            contact=draft.contact,
            owner=user,
            occasion=occasion,
            festival=festival,
            occasion_key=key,
            occasion_date=day,
            channel=draft.channel,
            language=draft.language,
            target=draft.target,
            subject=draft.subject[:150],
            text=draft.text,
            status=status,
            scheduled_for=when,
        )
        try:
            with transaction.atomic():
                greeting.save()
        except IntegrityError:
            first = first_greetings({draft.contact.pk: day}, key).get(draft.contact.pk)
            refused[draft.contact.pk] = rules.refusal(
                rules.Reach(draft.channel, draft.target, True, first or day)
            )
            continue
        created.append(greeting)
        if status == Greeting.Status.QUEUED:
            queued.append(greeting.pk)
    _enqueue(queued)
    return created, refused


def _log_activity(greeting: Greeting, when: datetime) -> Activity:
    kind = ActivityType.objects.filter(code="greeting").first() or ensure_greeting_type(
        ActivityType
    )
    occasion = occasion_name(greeting.occasion, greeting.festival, greeting.language)
    activity = Activity.objects.create(
        account_id=greeting.account_id,
        type=kind,
        owner=greeting.owner,
        date=timezone.localdate(when),
        notes=f"{greeting.get_channel_display()} · {occasion}\n{greeting.text}",
    )
    activity.contacts.add(greeting.contact_id)
    return activity


def _mark_sent(greeting: Greeting, result: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        greeting.status, greeting.sent_at, greeting.result = Greeting.Status.SENT, now, result
        greeting.activity = _log_activity(greeting, now)
        greeting.save(update_fields=["status", "sent_at", "result", "activity", "updated_at"])


def _deliver(greeting: Greeting) -> str:
    contact = greeting.contact
    preference = CommunicationPreference.objects.filter(contact=contact).first()
    # Asked again at the moment of sending: the person may have opted out since.
    target = _address(contact, greeting.channel)
    refusal = rules.refusal(
        rules.Reach(greeting.channel, target, _allowed(preference, greeting.channel))
    )
    if refusal:
        raise ValidationError(refusal)
    if greeting.channel == Channel.EMAIL:
        send_mail(greeting.subject, greeting.text, None, [target], fail_silently=False)
        return f"sent to {target}"
    return sms.provider().send(target, greeting.text)


def attempt(greeting_id: int) -> bool:
    """One try of one queued (or failed) greeting; False when the channel failed and another
    try may help. The greeting is claimed ("sending") before the channel is called, so two
    workers never send it twice; a refusal (consent withdrawn, address gone) is final."""
    with transaction.atomic():
        greeting = (
            Greeting.objects.select_for_update(of=("self",))
            .select_related("contact", "festival")
            .filter(pk=greeting_id)
            .first()
        )
        if greeting is None or greeting.status not in (
            Greeting.Status.QUEUED,
            Greeting.Status.FAILED,
        ):
            return True
        greeting.attempts += 1
        greeting.status = Greeting.Status.SENDING
        greeting.save(update_fields=["attempts", "status", "updated_at"])
    try:
        result = _deliver(greeting)
    except ValidationError as exc:
        _fail(greeting, " ".join(exc.messages))
        return True
    except Exception as exc:  # any failure of the channel is kept and retried
        _fail(greeting, f"{type(exc).__name__}: {exc}")
        return greeting.attempts >= MAX_ATTEMPTS
    _mark_sent(greeting, result)
    return True


def _fail(greeting: Greeting, message: str) -> None:
    Greeting.objects.filter(pk=greeting.pk, status=Greeting.Status.SENDING).update(
        status=Greeting.Status.FAILED, result=message[:2000], updated_at=timezone.now()
    )


def _transition(greeting: Greeting, from_status: str, to_status: str, **values) -> bool:
    """A status change that only one of two simultaneous clicks can make."""
    changed = Greeting.objects.filter(pk=greeting.pk, status=from_status).update(
        status=to_status, updated_at=timezone.now(), **values
    )
    return bool(changed)


def confirm_copied(greeting: Greeting) -> bool:
    """The rep sent the copied text on WeChat themself: now it is sent and logged."""
    with transaction.atomic():
        if not _transition(greeting, Greeting.Status.COPIED, Greeting.Status.QUEUED):
            return False
        greeting.refresh_from_db()
        _mark_sent(greeting, _("confirmed by the sender"))
    return True


def cancel(greeting: Greeting) -> bool:
    return _transition(greeting, Greeting.Status.SCHEDULED, Greeting.Status.CANCELLED)


def retry(greeting: Greeting) -> bool:
    if not _transition(greeting, Greeting.Status.FAILED, Greeting.Status.QUEUED):
        return False
    _enqueue([greeting.pk])
    return True


def release_due(now: datetime) -> list[int]:
    """Queue the scheduled greetings whose moment has come; returns their ids."""
    due = list(
        Greeting.objects.filter(
            status=Greeting.Status.SCHEDULED, scheduled_for__lte=now
        ).values_list("pk", flat=True)[:500]
    )
    Greeting.objects.filter(pk__in=due, status=Greeting.Status.SCHEDULED).update(
        status=Greeting.Status.QUEUED, updated_at=now
    )
    return due


STALLED_AFTER = timedelta(minutes=15)


def fail_stalled(now: datetime) -> int:
    """Greetings left "sending" by a worker that stopped: failed, since nobody knows whether
    the channel took them (the rep decides whether to retry)."""
    return Greeting.objects.filter(
        status=Greeting.Status.SENDING, updated_at__lt=now - STALLED_AFTER
    ).update(
        status=Greeting.Status.FAILED,
        result=_("The worker stopped while sending; it may or may not have gone out."),
        updated_at=now,
    )
