"""Reads used by the screens of move 2; each costs a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import Account, Contact, Function, Level
from crm import policy
from relationships import care, ladder
from relationships.models import (
    Activity,
    ActivityType,
    CoolingThreshold,
    Festival,
    Personality,
    Quadrant,
    Relationship,
    Stage,
)

CARE_WINDOW_DAYS = 30
RECENT_ACTIVITIES = 15


def timezone_date(moment) -> date:
    return timezone.localtime(moment).date()


def activities_with_details(queryset: QuerySet) -> QuerySet:
    """Activities with what a list shows: type, owner, account, and the people (2 queries)."""
    return queryset.select_related("type", "owner", "account").prefetch_related(
        Prefetch("contacts", queryset=Contact.objects.order_by("name"))
    )


def cooling_thresholds() -> dict[int, int]:
    return dict(CoolingThreshold.objects.values_list("stage", "days"))


def type_infos(types) -> list[ladder.TypeInfo]:
    return [ladder.TypeInfo(t.code, t.name, t.stage, t.style, tuple(t.keywords)) for t in types]


def personality_hints() -> list[tuple[str, str, ladder.PersonalityGuide]]:
    """How to recognise each personality type, for a contact whose type is not known yet."""
    return [
        (code, label, ladder.PERSONALITY_GUIDES[code])
        for code, label in Personality.choices
        if code in ladder.PERSONALITY_GUIDES
    ]


def is_manager(user) -> bool:
    return policy.manages_a_team(user)  # cached for the request


@dataclass
class StageStep:
    value: int
    label: str
    evidence: str
    typical: str
    state: str  # "done", "current", "next" or "later"


@dataclass
class RelationshipPage:
    contact: Contact
    relationship: Relationship
    stage_changes: list
    activities: list
    best_evidence: int | None
    last_activity: date | None
    supported: bool
    cooling: bool
    days_quiet: int
    threshold: int | None
    steps: list[StageStep]
    guide: ladder.PersonalityGuide | None
    actions: list[ladder.Action]
    quadrant: str
    quadrant_label: str
    next_birthday: date | None = None
    types: list = field(default_factory=list)


def ladder_steps(stage: int) -> list[StageStep]:
    steps = []
    for value, label in Stage.choices:
        if value < stage:
            state = "done"
        elif value == stage:
            state = "current"
        elif value == stage + 1:
            state = "next"
        else:
            state = "later"
        steps.append(
            StageStep(
                value, label, ladder.STAGE_EVIDENCE[value], ladder.STAGE_TYPICAL[value], state
            )
        )
    return steps


def relationship_page(user, contact_pk: int, today: date) -> RelationshipPage:
    """Everything the relationship page of one contact shows (404 outside the user's reach).

    Queries: the contact (with account, relationship, profile, department); its stage changes;
    its activities and their people (2); the best evidence and last activity (aggregate); the
    cooling thresholds; the active activity types."""
    contact = policy.get_visible_or_404(
        Contact.objects.select_related("account", "department", "relationship", "profile"),
        user,
        pk=contact_pk,
    )
    try:
        relationship = contact.relationship
    except Relationship.DoesNotExist:
        relationship = Relationship(contact=contact)
    stage_changes = []
    if relationship.pk:
        stage_changes = list(
            relationship.stage_changes.select_related("changed_by", "activity__type").order_by(
                "-changed_at", "-pk"
            )
        )
    contact_activities = Activity.objects.filter(contacts=contact)
    activities = list(
        activities_with_details(contact_activities.visible_to(user)).order_by("-date", "-pk")[
            :RECENT_ACTIVITIES
        ]
    )
    # A rejected gift or hospitality is no evidence of the relationship (§10 "within the law").
    evidence = contact_activities.aggregate(
        best=Max("type__stage", filter=~Q(approval_status=Activity.Approval.REJECTED)),
        last=Max("date"),
    )
    thresholds = cooling_thresholds()
    types = list(ActivityType.objects.filter(is_active=True))
    since = timezone_date(relationship.created_at) if relationship.pk else today
    stage = relationship.stage
    quadrant = ladder.trust_quadrant(
        relationship.institutional_needs_met, relationship.personal_needs_met
    )
    profile = getattr(contact, "profile", None)
    birthday = profile.birthday if profile else None
    return RelationshipPage(
        contact=contact,
        relationship=relationship,
        stage_changes=stage_changes,
        activities=activities,
        best_evidence=evidence["best"],
        last_activity=evidence["last"],
        supported=ladder.is_supported(stage, [evidence["best"]]),
        cooling=ladder.is_cooling(stage, evidence["last"], since, today, thresholds),
        days_quiet=ladder.days_without_activity(evidence["last"], since, today),
        threshold=thresholds.get(stage),
        steps=ladder_steps(stage),
        guide=ladder.PERSONALITY_GUIDES.get(relationship.personality),
        actions=ladder.next_best_actions(
            stage, relationship.personality, relationship.interest_points or [], type_infos(types)
        ),
        quadrant=quadrant,
        quadrant_label=Quadrant(quadrant).label,
        next_birthday=care.next_birthday(birthday, today) if birthday else None,
        types=types,
    )


def activity_list(user, *, scope: str) -> QuerySet:
    """The activities of the list: "mine" (owned by the user) or everything they can see (a
    manager: the team's). Newest first; filter and paginate on top."""
    queryset = Activity.objects.visible_to(user)
    if scope == "mine":
        queryset = queryset.filter(owner=user)
    return activities_with_details(queryset).order_by("-date", "-pk")


def approvals(user) -> tuple[QuerySet, QuerySet]:
    """Pending gifts the user decides, and the latest decided ones."""
    base = activities_with_details(Activity.objects.approvable_by(user))
    pending = base.filter(approval_status=Activity.Approval.PENDING).order_by("date", "pk")
    decided = (
        base.filter(approval_status__in=[Activity.Approval.APPROVED, Activity.Approval.REJECTED])
        .select_related("decided_by")
        .order_by("-decided_at")[:20]
    )
    return pending, decided


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
    kind: str  # "birthday" or "festival"
    contact: Contact | None = None
    festival: Festival | None = None


@dataclass
class CoolingItem:
    relationship: Relationship
    last_activity: date | None
    days: int
    threshold: int


def care_contacts(user, scope: str) -> QuerySet:
    """The people a care list covers: "mine", or everyone the user can see ("all")."""
    if scope == "all":
        return Contact.objects.visible_to(user).filter(is_active=True)
    return my_contacts(user)


def cooling_relationships(
    user, today: date, limit: int = 50, scope: str = "mine"
) -> list[CoolingItem]:
    """Relationships of the user's contacts past their stage's threshold, quietest first.

    The database filter mirrors ladder.is_cooling (a test keeps them in step)."""
    thresholds = cooling_thresholds()
    condition = Q(pk__in=[])
    for stage, days in thresholds.items():
        cutoff = today - timedelta(days=days)
        condition |= Q(stage=stage) & (
            Q(last_activity__lt=cutoff) | Q(last_activity__isnull=True, created_at__date__lt=cutoff)
        )
    rows = (
        Relationship.objects.filter(contact__in=care_contacts(user, scope).values("pk"))
        .annotate(last_activity=Max("contact__activities__date"))
        .filter(condition)
        .select_related("contact__account")
        .order_by("last_activity", "created_at")[:limit]
    )
    items = []
    for row in rows:
        since = timezone_date(row.created_at)
        items.append(
            CoolingItem(
                row,
                row.last_activity,
                ladder.days_without_activity(row.last_activity, since, today),
                thresholds[row.stage],
            )
        )
    return items


def care_page(user, today: date, days: int = CARE_WINDOW_DAYS, scope: str = "mine") -> dict:
    """Upcoming birthdays and festivals, cooling relationships and due next steps.

    Queries: birthdays (contacts with profile and account); festivals; the cooling thresholds;
    cooling relationships; next steps due."""
    window = Q(pk__in=[])
    for month, first, last in care.month_day_ranges(today, days):
        window |= Q(
            profile__birthday__month=month,
            profile__birthday__day__gte=first,
            profile__birthday__day__lte=last,
        )
    reminders = []
    people = care_contacts(user, scope)
    for contact in people.filter(window).select_related("account", "profile"):
        when = care.next_birthday(contact.profile.birthday, today)
        if (when - today).days <= days:
            reminders.append(CareItem(when, (when - today).days, "birthday", contact=contact))
    for festival in Festival.objects.filter(date__gte=today, date__lte=today + timedelta(days)):
        reminders.append(
            CareItem(festival.date, (festival.date - today).days, "festival", festival=festival)
        )
    reminders.sort(key=lambda item: (item.when, item.kind))
    if scope == "all":
        activities = Activity.objects.visible_to(user)
    else:
        activities = Activity.objects.filter(owner=user)
    next_steps = activities_with_details(
        activities.filter(
            next_step_date__gte=today - timedelta(days=7),
            next_step_date__lte=today + timedelta(days=14),
        ).exclude(next_step="")
    ).order_by("next_step_date", "pk")[:30]
    return {
        "reminders": reminders,
        "cooling": cooling_relationships(user, today, scope=scope),
        "next_steps": next_steps,
        "window_days": days,
        "today": today,
    }


@dataclass
class HeatCell:
    contacts: list = field(default_factory=list)


def account_heatmap(account: Account) -> dict:
    """Active contacts of the account on a level × function grid, each with its stage (one
    query), and the §4.5 gate warning: no decision-layer contact at 约会 or above."""
    contacts = list(
        account.contacts.filter(is_active=True).select_related("relationship").order_by("name")
    )
    functions = list(Function.choices)
    levels = list(reversed(Level.choices))  # decision layer on top
    grid = {(lv, fn): HeatCell() for lv, _l in levels for fn, _f in functions}
    decision_ok = False
    for contact in contacts:
        relationship = getattr(contact, "relationship", None)
        contact.stage_value = relationship.stage if relationship else Stage.ACQUAINTANCE
        grid[(contact.level, contact.function)].contacts.append(contact)
        if contact.level == Level.DECISION and contact.stage_value >= Stage.INTERACTION:
            decision_ok = True
    rows = [(label, [grid[(value, fn)] for fn, _f in functions]) for value, label in levels]
    return {
        "functions": functions,
        "rows": rows,
        "contacts": contacts,
        "decision_layer_warning": bool(contacts) and not decision_ok,
    }
