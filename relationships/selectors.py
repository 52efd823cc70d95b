"""Reads used by the screens of move 2; each costs a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import (
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from accounts import birthdays
from accounts.models import Account, Contact, Function, Level, PersonalProfile
from crm import policy
from relationships import ladder, stagnation
from relationships.models import (
    Activity,
    ActivityType,
    CoolingThreshold,
    Personality,
    Quadrant,
    Relationship,
    Stage,
)

RECENT_ACTIVITIES = 15
ONE_DAY = timedelta(days=1)


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
    next_birthday: birthdays.NextBirthday | None = None
    types: list = field(default_factory=list)
    profile_interests: list[str] = field(default_factory=list)
    vacation_plans: str = ""
    stagnant: bool = False
    stage_since: date | None = None
    stagnation_days: int = 0


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


def _evidence() -> dict:
    """The best evidence and the last activity of a contact (OuterRef "pk") as subqueries of
    its row: the highest stage of an activity with them that was not refused (a rejected gift
    or hospitality is no evidence of the relationship, §10 "within the law"), and the date of
    their latest activity."""
    theirs = Activity.objects.filter(contacts=OuterRef("pk"))
    best = (
        theirs.exclude(approval_status=Activity.Approval.REJECTED)
        .filter(type__stage__isnull=False)
        .order_by("-type__stage")
        .values("type__stage")[:1]
    )
    return {
        "best_evidence": Subquery(best),
        "last_activity": Subquery(theirs.order_by("-date").values("date")[:1]),
    }


def _cooling_days() -> Subquery:
    """The cooling threshold of the stage of a contact's relationship (its first stage when
    it has none yet) as a subquery of its row; None where that stage has none."""
    stage = Coalesce(
        OuterRef("relationship__stage"), Value(Relationship._meta.get_field("stage").default)
    )
    return Subquery(CoolingThreshold.objects.filter(stage=stage).values("days")[:1])


def relationship_page(user, contact_pk: int, today: date) -> RelationshipPage:
    """Everything the relationship page of one contact shows (404 outside the user's reach).

    Queries: the contact (with account, relationship, profile, department, and as subqueries
    whether they are in an open deal's buying group, the stagnation setting, the best evidence
    and last activity, the cooling threshold of their stage); its stage changes; its
    activities and their people (2); the active activity types."""
    contact = policy.get_visible_or_404(
        Contact.objects.select_related("account", "department", "relationship", "profile").annotate(
            in_open_deal=stagnation.open_deal_membership(),
            stagnation_days=stagnation.days_setting(),
            cooling_days=_cooling_days(),
            **_evidence(),
        ),
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
    activities = list(
        activities_with_details(
            Activity.objects.filter(contacts=contact).visible_to(user)
        ).order_by("-date", "-pk")[:RECENT_ACTIVITIES]
    )
    evidence = {"best": contact.best_evidence, "last": contact.last_activity}
    stage = relationship.stage
    thresholds = {} if contact.cooling_days is None else {stage: contact.cooling_days}
    types = list(ActivityType.objects.filter(is_active=True))
    since = timezone_date(relationship.created_at) if relationship.pk else today
    quadrant = ladder.trust_quadrant(
        relationship.institutional_needs_met, relationship.personal_needs_met
    )
    profile = getattr(contact, "profile", None)
    recorded = relationship.interest_points or []
    profile_texts = (
        [getattr(profile, name) for name in PersonalProfile.INTEREST_FIELDS] if profile else []
    )
    interests = ladder.merge_interests(recorded, profile_texts)
    stage_since = stagnation.stage_since(
        stage_changes[0].changed_at if stage_changes else None,
        relationship.created_at if relationship.pk else None,
        today,
    )
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
            stage, relationship.personality, interests, type_infos(types)
        ),
        quadrant=quadrant,
        quadrant_label=Quadrant(quadrant).label,
        next_birthday=birthdays.next_birthday(profile.birthday_rule, today) if profile else None,
        types=types,
        profile_interests=interests[len(ladder.merge_interests(recorded, [])) :],
        vacation_plans=profile.vacation_plans.strip() if profile else "",
        stagnant=stagnation.is_stagnant(
            stage=stage,
            since=stage_since,
            today=today,
            days=contact.stagnation_days,
            in_open_deal=contact.in_open_deal,
        ),
        stage_since=stage_since,
        stagnation_days=contact.stagnation_days,
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


def stage_of(contact) -> int:
    """A person's stage on the ladder: 认识 until a relationship row says otherwise."""
    relationship = getattr(contact, "relationship", None)
    return relationship.stage if relationship else Relationship._meta.get_field("stage").default


def editable_activity_or_404(user, pk) -> Activity:
    """A logged activity `user` may edit or delete: their own, or one of the people they
    manage; anything else — out of sight or only in sight — is 404."""
    activity = policy.get_visible_or_404(
        Activity.objects.select_related("account", "type", "owner"), user, pk=pk
    )
    if activity.owner_id != user.pk and not policy.manages_owner(user, activity.owner_id):
        raise Http404
    return activity
