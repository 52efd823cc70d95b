"""Reads of the care page and the home page's care panels: birthdays, festivals and travel
plans (行程), cooling or stagnant relationships, next steps and gifts waiting; each costs a
fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    BooleanField,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, TruncDate

from accounts import birthdays
from accounts.models import Account, Contact
from crm import lunar
from crm.ranks import rank_among
from relationships import care, ladder, stagnation
from relationships.models import Activity, CoolingThreshold, Festival, Relationship
from relationships.selectors import activities_with_details, timezone_date

CARE_WINDOW_DAYS = 30
# 行程 is free text without dates: plans in a profile saved within this many days count as
# current, older ones are taken to be past.
TRIP_CURRENT_DAYS = 90
ONE_DAY = timedelta(days=1)


def my_contacts(user) -> QuerySet:
    """Contacts of the accounts the user owns or that are shared with them (within policy)."""
    shared = Account.objects.filter(collaborators=user).values("pk")
    return Contact.objects.visible_to(user).filter(
        Q(account__owner=user) | Q(account__in=shared), is_active=True
    )


@dataclass
class CareItem:
    when: date
    days: int
    kind: str  # "birthday", "festival" or "trip"
    contact: Contact | None = None
    festival: Festival | None = None
    birthday: birthdays.NextBirthday | None = None
    trip: str = ""  # 行程, the profile's vacation plans


@dataclass
class CoolingItem:
    relationship: Relationship
    last_activity: date | None
    days: int
    threshold: int | None
    cooling: bool = True
    stagnant: bool = False
    stage_since: date | None = None


def care_contacts(user, scope: str) -> QuerySet:
    """The people a care list covers: "mine", or everyone the user can see ("all")."""
    if scope == "all":
        return Contact.objects.visible_to(user).filter(is_active=True)
    return my_contacts(user)


def _cooling(user, today: date, scope: str, with_stagnant: bool = False) -> QuerySet:
    """Relationships of the user's people quiet for longer than their stage's threshold,
    quietest first: ladder.is_cooling in SQL (a test keeps them in step), the threshold read
    with each row; a stage without a threshold never cools. `with_stagnant` adds those whose
    stage has not moved for too long (relationships.stagnation)."""
    last_activity = (
        Activity.objects.filter(contacts=OuterRef("contact_id")).order_by("-date").values("date")
    )
    threshold = CoolingThreshold.objects.filter(stage=OuterRef("stage")).values("days")
    threshold_days = ExpressionWrapper(
        F("threshold") * Value(ONE_DAY), output_field=DurationField()
    )
    quiet_since = Coalesce("last_activity", TruncDate("created_at"))
    rows = (
        Relationship.objects.filter(contact__in=care_contacts(user, scope).values("pk"))
        .annotate(
            last_activity=Subquery(last_activity[:1]),
            threshold=Subquery(threshold, output_field=IntegerField()),
        )
        .annotate(
            cools_on=ExpressionWrapper(quiet_since + threshold_days, output_field=DateField())
        )
    )
    if with_stagnant:
        rows = stagnation.annotate_stagnant(rows, today).filter(
            Q(cools_on__lt=today) | Q(stagnant=True)
        )
    else:
        rows = rows.filter(cools_on__lt=today)
    return rows.select_related("contact__account").order_by("last_activity", "created_at")


def _cooling_item(row: Relationship, today: date) -> CoolingItem:
    since = timezone_date(row.created_at)
    return CoolingItem(
        row,
        row.last_activity,
        ladder.days_without_activity(row.last_activity, since, today),
        row.threshold,
        # The rule itself: cools_on comes back as a timestamp on PostgreSQL (date + interval).
        cooling=ladder.is_cooling(
            row.stage, row.last_activity, since, today, {row.stage: row.threshold}
        )
        if row.threshold
        else False,
        stagnant=bool(getattr(row, "stagnant", False)),
        stage_since=getattr(row, "stage_since", None),
    )


def cooling_relationships(
    user, today: date, limit: int = 50, scope: str = "mine", with_stagnant: bool = False
) -> list[CoolingItem]:
    """Relationships of the user's contacts past their stage's threshold (and, `with_stagnant`,
    those stagnant), quietest first (one query)."""
    rows = _cooling(user, today, scope, with_stagnant)[:limit]
    return [_cooling_item(row, today) for row in rows]


def cooling_preview(user, today: date, shown: int, limit: int = 50) -> tuple[list, int]:
    """The `shown` quietest of the user's cooling relationships, and how many more of the first
    `limit` there are (one query: the count is a window count over the rows)."""
    rows = list(_cooling(user, today, "mine").annotate(total=Window(Count("pk")))[:shown])
    more = min(rows[0].total, limit) - len(rows) if rows else 0
    return [_cooling_item(row, today) for row in rows], more


def _birthday_window(today: date, days: int) -> Q:
    """Profiles whose birthday, solar or lunar, comes within `days` of `today`: the database
    form of accounts.birthdays.next_birthday (a test keeps the two in step)."""
    solar = Q(pk__in=[])
    for month, first, last in birthdays.month_day_ranges(today, days):
        solar |= Q(
            profile__birthday__month=month,
            profile__birthday__day__gte=first,
            profile__birthday__day__lte=last,
        )
    by_lunar = Q(pk__in=[])
    for month, leap, first, last in lunar.window_matches(today, days):
        by_lunar |= Q(
            profile__lunar_birthday_month=month,
            profile__lunar_birthday_leap=leap,
            profile__lunar_birthday_day__gte=first,
            profile__lunar_birthday_day__lte=last,
        )
    return (Q(profile__birthday_calendar=birthdays.SOLAR) & solar) | (
        Q(profile__birthday_calendar=birthdays.LUNAR) & by_lunar
    )


def _loaded(model, db: str, **values):
    """A `model` instance from some of its columns (the others deferred), as the ORM would
    load it."""
    names = [f.attname for f in model._meta.concrete_fields if f.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


def _care_rows(user, today: date, days: int, scope: str, with_trips: bool = False):
    """The birthdays in the window, every active festival rule and (`with_trips`) the people
    with current travel plans, in one UNION ALL statement (a person or a festival rule per
    row)."""
    text, number = Value(""), Value(None, output_field=IntegerField())
    birthdays_rows = (
        care_contacts(user, scope)
        .filter(_birthday_window(today, days))
        .order_by()
        .values(
            kind=Value("birthday"),
            row_id=F("pk"),
            label=F("name"),
            label_zh=text,
            account_ref=F("account_id"),
            account_name=F("account__name"),
            rule=F("profile__birthday_calendar"),
            solar=F("profile__birthday"),
            month_no=F("profile__lunar_birthday_month"),
            day_no=F("profile__lunar_birthday_day"),
            leap=F("profile__lunar_birthday_leap"),
            term_name=text,
            only_year=number,
            advice_en_text=text,
            advice_zh_text=text,
        )
    )
    festival_rows = (
        Festival.objects.filter(is_active=True)
        .order_by()
        .values(
            kind=Value("festival"),
            row_id=F("pk"),
            label=F("name_en"),
            label_zh=F("name_zh"),
            account_ref=number,
            account_name=text,
            rule=F("calendar"),
            solar=Value(None, output_field=DateField()),
            month_no=F("month"),
            day_no=F("day"),
            leap=Value(False, output_field=BooleanField()),
            term_name=F("term"),
            only_year=F("year"),
            advice_en_text=F("advice_en"),
            advice_zh_text=F("advice_zh"),
        )
    )
    if not with_trips:
        return birthdays_rows.union(festival_rows, all=True), birthdays_rows.db
    trip_rows = (
        care_contacts(user, scope)
        .exclude(profile__vacation_plans="")
        .filter(profile__updated_at__date__gte=today - timedelta(days=TRIP_CURRENT_DAYS))
        .order_by()
        .values(
            kind=Value("trip"),
            row_id=F("pk"),
            label=F("name"),
            label_zh=text,
            account_ref=F("account_id"),
            account_name=F("account__name"),
            rule=text,
            solar=Value(None, output_field=DateField()),
            month_no=number,
            day_no=number,
            leap=Value(False, output_field=BooleanField()),
            term_name=text,
            only_year=number,
            advice_en_text=F("profile__vacation_plans"),
            advice_zh_text=text,
        )
    )
    return birthdays_rows.union(festival_rows, trip_rows, all=True), birthdays_rows.db


def care_reminders(
    user, today: date, days: int = CARE_WINDOW_DAYS, scope: str = "mine", with_trips=False
) -> list[CareItem]:
    """Upcoming birthdays of the user's people and festivals, soonest first, then (`with_trips`)
    the people with current travel plans (one statement; the festivals' days and the lunar
    birthdays' solar dates are computed for the window)."""
    rows, db = _care_rows(user, today, days, scope, with_trips)
    end = today + timedelta(days=days)
    reminders, trips = [], []
    for row in rows:
        if row["kind"] == "trip":
            contact = _loaded(
                Contact, db, id=row["row_id"], name=row["label"], account_id=row["account_ref"]
            )
            contact.account = _loaded(Account, db, id=row["account_ref"], name=row["account_name"])
            trips.append(CareItem(today, 0, "trip", contact=contact, trip=row["advice_en_text"]))
            continue
        if row["kind"] == "festival":
            festival = _loaded(
                Festival,
                db,
                id=row["row_id"],
                name_en=row["label"],
                name_zh=row["label_zh"],
                calendar=row["rule"],
                month=row["month_no"],
                day=row["day_no"],
                term=row["term_name"],
                year=row["only_year"],
                advice_en=row["advice_en_text"],
                advice_zh=row["advice_zh_text"],
            )
            for when in care.festival_days(festival, today, end):
                reminders.append(CareItem(when, (when - today).days, "festival", festival=festival))
            continue
        rule = birthdays.Birthday(
            row["rule"], row["solar"], row["month_no"], row["day_no"], bool(row["leap"])
        )
        upcoming = birthdays.next_birthday(rule, today)
        if upcoming and upcoming.when <= end:
            contact = _loaded(
                Contact, db, id=row["row_id"], name=row["label"], account_id=row["account_ref"]
            )
            contact.account = _loaded(Account, db, id=row["account_ref"], name=row["account_name"])
            reminders.append(
                CareItem(
                    upcoming.when,
                    (upcoming.when - today).days,
                    "birthday",
                    contact=contact,
                    birthday=upcoming,
                )
            )
    reminders.sort(key=lambda item: (item.when, item.kind, item.days))
    trips.sort(key=lambda item: (item.contact.name, item.contact.pk))
    return reminders + trips


def _next_step_due(today: date) -> Q:
    return Q(
        next_step_date__gte=today - timedelta(days=7),
        next_step_date__lte=today + timedelta(days=14),
    ) & ~Q(next_step="")


def next_steps_due(user, today: date, scope: str = "mine") -> QuerySet:
    """Activity next steps from a week ago to two weeks ahead, soonest first, with their
    people."""
    if scope == "all":
        activities = Activity.objects.visible_to(user)
    else:
        activities = Activity.objects.filter(owner=user)
    return activities_with_details(activities.filter(_next_step_due(today))).order_by(
        "next_step_date", "pk"
    )


def care_page(user, today: date, days: int = CARE_WINDOW_DAYS, scope: str = "mine") -> dict:
    """Upcoming birthdays and festivals, cooling relationships and due next steps.

    Queries: birthdays, trips and festivals (one statement); cooling or stagnant relationships
    with their thresholds; next steps due and their people (2)."""
    reminders = care_reminders(user, today, days, scope, with_trips=True)
    return {
        "reminders": [item for item in reminders if item.kind != "trip"],
        "trips": [item for item in reminders if item.kind == "trip"],
        "cooling": cooling_relationships(user, today, scope=scope, with_stagnant=True),
        "next_steps": next_steps_due(user, today, scope)[:30],
        "window_days": days,
        "today": today,
    }


def next_steps_and_gifts(user, today: date, *, rows: int, manager: bool) -> dict:
    """The user's first `rows` activity next steps due (as on the care page) and the first
    `rows` gifts waiting for approval (a manager: those they decide, else their own) with how
    many gifts wait. One query, whose ranks and count are window functions over both lists,
    and their people."""
    if manager:
        gifts_source = Activity.objects.approvable_by(user)
    else:
        gifts_source = Activity.objects.filter(owner=user)
    gift = Q(pk__in_array=gifts_source.pending_approval().values("pk"))
    step = Q(owner=user) & _next_step_due(today)
    found = list(
        activities_with_details(Activity.objects.filter(step | gift))
        .annotate(
            step_rank=rank_among(step, [F("next_step_date").asc(), F("pk").asc()]),
            gift_rank=rank_among(gift, [F("date").asc(), F("pk").asc()]),
            gifts=Window(Count("pk", filter=gift)),
        )
        .filter(Q(step_rank__lte=rows) | Q(gift_rank__lte=rows))
    )
    return {
        "next_steps": sorted((a for a in found if a.step_rank), key=lambda a: a.step_rank),
        "pending": sorted((a for a in found if a.gift_rank), key=lambda a: a.gift_rank),
        "pending_count": found[0].gifts if found else 0,
    }
