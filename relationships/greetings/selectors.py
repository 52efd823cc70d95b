"""Reads of the greetings pages: the occasions a person or the rep has coming, the people a
greeting may go to, and the rep's greetings with their status."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from accounts import birthdays
from accounts.models import Contact
from relationships import care, care_selectors
from relationships.greetings.models import Greeting
from relationships.models import Festival

# A greeting may be a little late (a week) and is prepared at most two months ahead.
LATE_DAYS = 7
AHEAD_DAYS = 60
WEEK = 7


@dataclass
class Occasion:
    kind: str  # "festival" or "birthday"
    day: date
    festival: Festival | None = None


def festival_occasion(festival_pk: int, day: date, today: date) -> Occasion | None:
    """The festival's occasion on `day`, if the festival falls then and the day is near."""
    festival = Festival.objects.filter(pk=festival_pk, is_active=True).first()
    if festival is None or not (today - timedelta(days=LATE_DAYS) <= day):
        return None
    if day > today + timedelta(days=AHEAD_DAYS) or day not in care.festival_days(
        festival, day, day
    ):
        return None
    return Occasion("festival", day, festival)


def festivals_coming(today: date, days: int = AHEAD_DAYS) -> list[Occasion]:
    """Every active festival's days from today to `days` ahead, soonest first (one query)."""
    end = today + timedelta(days=days)
    found = [
        Occasion("festival", day, festival)
        for festival in Festival.objects.filter(is_active=True)
        for day in care.festival_days(festival, today, end)
    ]
    return sorted(found, key=lambda o: (o.day, o.festival.pk))


def next_birthday_of(contact: Contact, today: date) -> date | None:
    profile = getattr(contact, "profile", None)
    if profile is None:
        return None
    rule = birthdays.Birthday(
        profile.birthday_calendar,
        profile.birthday,
        profile.lunar_birthday_month,
        profile.lunar_birthday_day,
        bool(profile.lunar_birthday_leap),
    )
    upcoming = birthdays.next_birthday(rule, today - timedelta(days=LATE_DAYS))
    return upcoming.when if upcoming else None


def birthdays_due(user, today: date, days: int = WEEK) -> dict[int, date]:
    """The rep's people with a birthday from today to `days` ahead, and its day."""
    reminders = care_selectors.care_reminders(user, today, days)
    return {item.contact.pk: item.when for item in reminders if item.kind == "birthday"}


def festival_recipients(user) -> QuerySet:
    """Everyone the rep looks after (their accounts' and those shared with them): all of them
    are due a festival's greeting."""
    return care_selectors.my_contacts(user).select_related("account").order_by("name", "pk")


def visible_contacts(user, ids) -> list[Contact]:
    return list(
        Contact.objects.visible_to(user)
        .filter(pk__in=ids)
        .select_related("account", "profile")
        .order_by("name", "pk")
    )


def greetings_of(user) -> QuerySet:
    """The rep's greetings, newest first, with their people (one query)."""
    return (
        Greeting.objects.filter(owner=user)
        .select_related("contact", "festival")
        .order_by("-created_at", "-pk")
    )


def for_contact(user, contact) -> list[Greeting]:
    """The person's greetings the user may see, newest first."""
    return list(
        Greeting.objects.visible_to(user)
        .filter(contact=contact)
        .select_related("owner", "festival")
        .order_by("-created_at", "-pk")[:10]
    )
