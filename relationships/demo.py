"""Demo relationships for `seed_demo`: every stage and personality type, activities of every
type (notes in Chinese and English), a pending gift for the manager, a birthday coming up.

Idempotent: rows are found by natural keys and only created when missing. Works on the demo
contacts of the accounts app; if the rep has none yet, a small demo account is added."""

from datetime import date, timedelta

from django.utils import timezone

from accounts.models import Account, Contact, PersonalProfile
from relationships.defaults import ensure_defaults
from relationships.demo_data import ACTIVITIES, FALLBACK_ACCOUNT, FALLBACK_CONTACTS, GIFTS, PLAN
from relationships.greetings import demo as greetings_demo
from relationships.models import (
    Activity,
    ActivityType,
    CoolingThreshold,
    Festival,
    Relationship,
    StageChange,
    StagnationSetting,
)
from relationships.planning import demo as planning_demo


def _contacts_for(rep) -> list[Contact]:
    contacts = list(
        Contact.objects.filter(account__owner=rep, is_active=True)
        .select_related("account")
        .order_by("account_id", "pk")
    )
    if len(contacts) >= len(PLAN):
        return contacts[: len(PLAN)]
    account, _created = Account.objects.get_or_create(
        name=FALLBACK_ACCOUNT,
        owner=rep,
        defaults={"industry": "制造业 Manufacturing", "region": "江苏 Jiangsu"},
    )
    return [
        Contact.objects.get_or_create(
            account=account,
            name=name,
            defaults={"title": title, "level": level, "function": function},
        )[0]
        for name, title, level, function in FALLBACK_CONTACTS
    ]


def _birthday_soon(contacts: list[Contact], today: date) -> None:
    """Make sure one of the rep's contacts has a birthday within two weeks of today."""
    soon = {today + timedelta(days=n) for n in range(15)}
    solar = PersonalProfile.objects.filter(contact__in=contacts, birthday_calendar="solar")
    for profile in solar.filter(birthday__isnull=False):
        if any((d.month, d.day) == (profile.birthday.month, profile.birthday.day) for d in soon):
            return
    target = today + timedelta(days=9)
    if (target.month, target.day) == (2, 29):
        target -= timedelta(days=1)
    birthday = target.replace(year=target.year - 46)
    lunar = set(
        PersonalProfile.objects.filter(contact__in=contacts, birthday_calendar="lunar").values_list(
            "contact_id", flat=True
        )
    )
    person = next(c for c in contacts if c.pk not in lunar)
    profile, _created = PersonalProfile.objects.get_or_create(contact=person)
    profile.birthday = birthday
    profile.save(update_fields=["birthday", "updated_at"])


def _activity(owner, contacts, code, types, today, days_ago, cost, notes, **extra):
    activity, created = Activity.objects.get_or_create(
        owner=owner,
        type=types[code],
        notes=notes,
        defaults={
            "account": contacts[0].account,
            "date": today - timedelta(days=days_ago),
            "cost": cost,
            **extra,
        },
    )
    if created:
        activity.contacts.set(contacts)
    return activity


def seed(context: dict) -> None:
    ensure_defaults(ActivityType, CoolingThreshold, Festival, StagnationSetting)
    users = context["users"]
    rep, manager = users["rep"], users["manager"]
    today = timezone.localdate()
    types = {t.code: t for t in ActivityType.objects.all()}
    contacts = _contacts_for(rep)

    relationships = []
    for contact, plan in zip(contacts, PLAN, strict=True):
        stage, personality, interests, inst, inst_met, pers, pers_met = plan
        relationship, _created = Relationship.objects.get_or_create(
            contact=contact,
            defaults={
                "stage": stage,
                "personality": personality,
                "interest_points": interests,
                "institutional_needs": inst,
                "institutional_needs_met": inst_met,
                "personal_needs": pers,
                "personal_needs_met": pers_met,
            },
        )
        relationships.append(relationship)

    logged = {}
    for indexes, code, days_ago, cost, notes, outcome, next_step, next_in in ACTIVITIES:
        people = [contacts[i] for i in indexes]
        logged[(indexes[0], code)] = _activity(
            rep,
            people,
            code,
            types,
            today,
            days_ago,
            cost,
            notes,
            outcome=outcome,
            next_step=next_step,
            next_step_date=today + timedelta(days=next_in) if next_in is not None else None,
        )

    decided_at = timezone.now() - timedelta(days=1)
    for index, code, days_ago, cost, notes, status, reason in GIFTS:
        decision = {}
        if status != "pending":
            decision = {"decided_by": manager, "decided_at": decided_at, "decision_reason": reason}
        _activity(
            rep,
            [contacts[index]],
            code,
            types,
            today,
            days_ago,
            cost,
            notes,
            approval_status=status,
            **decision,
        )

    # The ladder each relationship climbed, with the activity that supports each step.
    evidence = {
        (0, 2): logged[(0, "tech_exchange")],
        (0, 3): logged[(0, "family_activity")],
        (0, 4): logged[(0, "introduction")],
        (1, 2): logged[(1, "test_sample")],
        (1, 3): logged[(1, "social_event")],
        (2, 2): None,
        (4, 2): logged[(4, "meal_tea")],
    }
    for (index, to_stage), activity in evidence.items():
        StageChange.objects.get_or_create(
            relationship=relationships[index],
            from_stage=to_stage - 1,
            to_stage=to_stage,
            defaults={
                "changed_by": rep,
                "activity": activity,
                "changed_at": timezone.now()
                - timedelta(days=(today - activity.date).days if activity else 20),
            },
        )

    _birthday_soon(contacts, today)
    planning_demo.seed(rep=rep, contacts=contacts, types=types, today=today)
    greetings_demo.seed(rep=rep, contacts=contacts, today=today)
    context["relationship_contacts"] = contacts
