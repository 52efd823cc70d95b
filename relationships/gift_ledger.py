"""The gift ledger (METHOD.md §10 "within the law"): every gift and hospitality per person, per
account and per calendar year with running totals, and the yearly cap per person, stricter by
customer type (`GiftCapSetting`).

How a gift counts, in one place (`share`): an activity of a gift or hospitality type counts
for each of its people with an equal share of its cost (a dinner of ¥1,500 for three people is
¥500 each), whatever its approval says: activities are logged once they have happened, so a
rejected gift was still given. The year is the activity's calendar year.

Reads: `ledger()` for the page and its download (scoped by the policy through
`Activity.objects.visible_to`), `cap_breaches()` when a gift is logged and `people_near_cap()`
for the festival reminders (both company-wide: the cap is per person, whoever gave).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.utils.translation import gettext as _

from accounts.models import Account
from relationships.models import Activity, GiftCapSetting
from relationships.models.choices import _bilingual
from relationships.models.gifts import GIFT_CAPS

CENT = Decimal("0.01")
ZERO = Decimal("0")
# A person whose gifts of the year reach this share of their cap is "near" it: the festival
# reminders warn before the next gift.
NEAR_CAP = Decimal("0.8")

PEOPLE = Activity.contacts.through


def share(cost: Decimal, people: int) -> Decimal:
    """One person's part of a gift given to `people` people, to the fen."""
    if people <= 1:
        return Decimal(cost).quantize(CENT)
    return (Decimal(cost) / people).quantize(CENT, rounding=ROUND_HALF_UP)


def caps() -> dict[str, Decimal]:
    """The yearly cap per customer type ("" is the default): the admin's rows over the
    method's defaults (one query)."""
    found = {str(k): v for k, v in GIFT_CAPS.items()}
    found.update(GiftCapSetting.objects.values_list("account_type", "yearly_cap"))
    return found


def cap_for(account_type: str, by_type: dict[str, Decimal]) -> Decimal:
    """The cap of a customer type: its own, else the default."""
    if account_type and account_type in by_type:
        return by_type[account_type]
    return by_type[""]


def is_near(total: Decimal, cap: Decimal) -> bool:
    return total >= cap * NEAR_CAP


def type_label(account_type: str) -> str:
    return Account.Type(account_type).label if account_type else _("customer without a type")


@dataclass
class GiftItem:
    """One gift or hospitality for one person."""

    activity_id: int
    day: date
    type_name: str
    contact_id: int
    contact_name: str
    account_id: int
    account_name: str
    account_type: str
    owner_id: int
    owner_name: str
    cost: Decimal
    people: int
    share: Decimal
    approval_status: str
    decided_by_name: str
    decided_at: datetime | None
    running_total: Decimal = ZERO
    cap: Decimal = ZERO

    @property
    def approval_label(self) -> str:
        return Activity.Approval(self.approval_status).label

    @property
    def over_cap(self) -> bool:
        return self.running_total > self.cap

    @property
    def remaining(self) -> Decimal:
        return max(self.cap - self.running_total, ZERO)


@dataclass
class PersonYear:
    """A person's gifts of one year: total, cap, what remains, and the items."""

    contact_id: int
    contact_name: str
    account_id: int
    account_name: str
    account_type: str
    year: int
    cap: Decimal
    total: Decimal = ZERO
    items: list[GiftItem] = field(default_factory=list)

    @property
    def remaining(self) -> Decimal:
        return max(self.cap - self.total, ZERO)

    @property
    def over_cap(self) -> bool:
        return self.total > self.cap

    @property
    def near_cap(self) -> bool:
        return is_near(self.total, self.cap)

    @property
    def account_type_label(self) -> str:
        return type_label(self.account_type)


def people_count():
    return Subquery(
        PEOPLE.objects.filter(activity=OuterRef("activity_id"))
        .order_by()
        .values("activity")
        .annotate(n=Count("pk"))
        .values("n")
    )


def gift_rows(activities: QuerySet, year: int) -> QuerySet:
    """One row per gift and person of `activities` in `year`, with what the ledger shows (the
    gifts' ids first, then the rows: two queries)."""
    # The ids themselves, not a subquery: PostgreSQL guessed a subquery of the visible gifts at
    # hundreds of times their number and joined every activity of the book to it
    # (docs/performance.md).
    chosen = list(
        activities.filter(type__is_gift=True, date__year=year).values_list("pk", flat=True)
    )
    return (
        PEOPLE.objects.filter(activity__in=chosen)
        .annotate(people=people_count())
        .values(
            "activity_id",
            "contact_id",
            "people",
            day=F("activity__date"),
            cost=F("activity__cost"),
            type_en=F("activity__type__name_en"),
            type_zh=F("activity__type__name_zh"),
            contact_name=F("contact__name"),
            account_ref=F("contact__account_id"),
            account_name=F("contact__account__name"),
            account_type=F("contact__account__account_type"),
            owner_ref=F("activity__owner_id"),
            owner_username=F("activity__owner__username"),
            owner_first=F("activity__owner__first_name"),
            owner_last=F("activity__owner__last_name"),
            approval_status=F("activity__approval_status"),
            decider_username=F("activity__decided_by__username"),
            decider_first=F("activity__decided_by__first_name"),
            decider_last=F("activity__decided_by__last_name"),
            decided_at=F("activity__decided_at"),
        )
        .order_by("contact_id", "activity__date", "activity_id")
    )


def _name(first, last, username) -> str:
    full = f"{first or ''} {last or ''}".strip()
    return full or username or ""


def person_years(rows, year: int, by_type: dict[str, Decimal]) -> dict[int, PersonYear]:
    """Group gift rows by person, in date order, with running totals against the cap."""
    people: dict[int, PersonYear] = {}
    for row in sorted(rows, key=lambda r: (r["contact_id"], r["day"], r["activity_id"])):
        account_type = row["account_type"] or ""
        person = people.get(row["contact_id"])
        if person is None:
            person = people[row["contact_id"]] = PersonYear(
                row["contact_id"],
                row["contact_name"],
                row["account_ref"],
                row["account_name"],
                account_type,
                year,
                cap_for(account_type, by_type),
            )
        part = share(row["cost"], row["people"] or 1)
        person.total += part
        person.items.append(
            GiftItem(
                activity_id=row["activity_id"],
                day=row["day"],
                type_name=_bilingual(row["type_en"], row["type_zh"]),
                contact_id=row["contact_id"],
                contact_name=row["contact_name"],
                account_id=row["account_ref"],
                account_name=row["account_name"],
                account_type=account_type,
                owner_id=row["owner_ref"],
                owner_name=_name(row["owner_first"], row["owner_last"], row["owner_username"]),
                cost=row["cost"],
                people=row["people"] or 1,
                share=part,
                approval_status=row["approval_status"],
                decided_by_name=_name(
                    row["decider_first"], row["decider_last"], row["decider_username"]
                ),
                decided_at=row["decided_at"],
                running_total=person.total,
                cap=person.cap,
            )
        )
    return people


@dataclass
class Ledger:
    year: int
    people: list[PersonYear]
    items: list[GiftItem]
    accounts: list[tuple[int, str, Decimal, int]]  # id, name, total, gifts
    account_choices: list[tuple[int, str]]
    person_choices: list[tuple[int, str]]
    owner_choices: list[tuple[int, str]]

    @property
    def total(self) -> Decimal:
        return sum((item.share for item in self.items), ZERO)


def ledger(
    user,
    *,
    year: int,
    account: int | None = None,
    person: int | None = None,
    owner: int | None = None,
) -> Ledger:
    """The gifts of `year` that `user` may see, per person with running totals, cap and what
    remains; `account`, `person` and `owner` narrow what is listed (a person's total and
    running totals stay those of all their gifts the user may see: the cap is per person).

    Queries: the gift rows (two), the caps (one)."""
    rows = list(gift_rows(Activity.objects.visible_to(user), year))
    everyone = person_years(rows, year, caps())
    accounts, persons, owners = {}, {}, {}
    for row in everyone.values():
        accounts[row.account_id] = row.account_name
        persons[row.contact_id] = f"{row.contact_name} · {row.account_name}"
        for item in row.items:
            owners[item.owner_id] = item.owner_name
    shown_people, shown_items = [], []
    per_account: dict[int, list] = defaultdict(lambda: ["", ZERO, set()])
    for row in sorted(everyone.values(), key=lambda p: (p.account_name, p.contact_name)):
        if (account and row.account_id != account) or (person and row.contact_id != person):
            continue
        items = [item for item in row.items if not owner or item.owner_id == owner]
        if not items:
            continue
        shown_people.append(PersonYear(**{**row.__dict__, "items": items}))
        shown_items.extend(items)
        totals = per_account[row.account_id]
        totals[0] = row.account_name
        for item in items:
            totals[1] += item.share
            totals[2].add(item.activity_id)
    return Ledger(
        year=year,
        people=shown_people,
        items=shown_items,
        accounts=[
            (pk, name, total, len(gifts)) for pk, (name, total, gifts) in per_account.items()
        ],
        account_choices=sorted(accounts.items(), key=lambda pair: pair[1]),
        person_choices=sorted(persons.items(), key=lambda pair: pair[1]),
        owner_choices=sorted(owners.items(), key=lambda pair: pair[1]),
    )


def year_totals(contact_ids, year: int, *, exclude_activity: int | None = None) -> dict:
    """What each of these people has received in gifts in `year`, company-wide (one query)."""
    rows = PEOPLE.objects.filter(
        contact_id__in=list(contact_ids),
        activity__type__is_gift=True,
        activity__date__year=year,
    )
    if exclude_activity is not None:
        rows = rows.exclude(activity_id=exclude_activity)
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for contact_id, cost, people in rows.annotate(people=people_count()).values_list(
        "contact_id", "activity__cost", "people"
    ):
        totals[contact_id] += share(cost, people or 1)
    return totals


@dataclass(frozen=True)
class CapBreach:
    contact_name: str
    total: Decimal
    cap: Decimal
    account_type: str

    @property
    def message(self) -> str:
        return _(
            "This gift brings %(name)s's gifts this year to ¥%(total)s, above the cap of "
            "¥%(cap)s for a %(kind)s; it needs a manager's approval."
        ) % {
            "name": self.contact_name,
            "total": f"{self.total:,.2f}",
            "cap": f"{self.cap:,.2f}",
            "kind": type_label(self.account_type),
        }


def cap_breaches(
    *, activity_type, cost, day: date, contacts, account_type: str, activity_id=None
) -> list[CapBreach]:
    """The people this gift would take above their yearly cap (none for an activity that is
    not a gift). `activity_id`: an edited activity, whose former cost is left out."""
    if not activity_type.is_gift or not cost:
        return []
    contacts = list(contacts)
    part = share(cost, len(contacts))
    cap = cap_for(account_type or "", caps())
    before = year_totals([c.pk for c in contacts], day.year, exclude_activity=activity_id)
    return [
        CapBreach(contact.name, before[contact.pk] + part, cap, account_type or "")
        for contact in contacts
        if before[contact.pk] + part > cap
    ]


def people_near_cap(contacts: QuerySet, year: int) -> list[PersonYear]:
    """Of `contacts`, those whose gifts of `year` (company-wide) reach NEAR_CAP of their cap,
    closest to it first (two queries)."""
    rows = gift_rows(Activity.objects.all(), year).filter(contact__in=contacts.values("pk"))
    everyone = person_years(list(rows), year, caps())
    near = [person for person in everyone.values() if person.near_cap]
    return sorted(near, key=lambda p: (p.remaining, p.contact_name))


def festival_warning(festival_name: str, near: list[PersonYear], shown: int = 5) -> str:
    """The sentence a festival reminder adds for the people at or near their cap."""
    if not near:
        return ""
    parts = [
        _("A %(festival)s gift now would exceed %(name)s's yearly cap (¥%(total)s of ¥%(cap)s).")
        % {
            "festival": festival_name,
            "name": person.contact_name,
            "total": f"{person.total:,.2f}",
            "cap": f"{person.cap:,.2f}",
        }
        for person in near[:shown]
    ]
    if len(near) > shown:
        parts.append(_("And %(count)d more.") % {"count": len(near) - shown})
    return " ".join(parts)
