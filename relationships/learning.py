"""The reads of "what builds trust" (relationships/learning_rules.py holds the rules): the done
activities the user may see with their people, and those people's moves on the ladder.

Scope: `Activity.objects.visible_to(user)` and `Relationship.objects.visible_to(user)` (the
policy: a rep their own, a manager their teams', an admin all). An activity of the last N days
has not had its N days yet and is left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Contact
from relationships import gift_ledger, learning_rules
from relationships.models import (
    Activity,
    Personality,
    StageChange,
    TrustLearningSetting,
)
from relationships.models.choices import _bilingual

DEFAULT_DAYS = 30
DEFAULT_MIN_COUNT = 10


def setting() -> tuple[int, int]:
    """(days, min_count): the admin's row, else the defaults (one query)."""
    row = TrustLearningSetting.objects.order_by("pk").values_list("days", "min_count").first()
    return row or (DEFAULT_DAYS, DEFAULT_MIN_COUNT)


@dataclass
class Row:
    type_name: str
    personality_name: str
    type_id: int | None
    tally: learning_rules.Tally

    @property
    def label(self) -> str:
        return " · ".join(name for name in (self.type_name, self.personality_name) if name)


@dataclass
class TrustLearning:
    days: int
    min_count: int
    until: date
    by_type: list[Row]
    by_personality: list[Row]
    by_type_and_personality: list[Row]
    steps: list[learning_rules.StepFigure]


def cases_and_changes(user, until: date):
    """The (activity, person) cases up to `until` and the ladder moves of everyone concerned
    (two queries)."""
    people = gift_ledger.PEOPLE
    activities = Activity.objects.visible_to(user).filter(date__lte=until).values("pk")
    cases = list(
        people.objects.filter(activity__in=activities)
        .annotate(people=gift_ledger.people_count())
        .values_list(
            "contact_id",
            "people",
            F("activity__date"),
            F("activity__cost"),
            F("activity__type_id"),
            F("activity__type__name_en"),
            F("activity__type__name_zh"),
            F("contact__relationship__personality"),
        )
    )
    visible = Contact.objects.visible_to(user).values("pk")
    concerned = people.objects.filter(activity__in=activities).values("contact")
    changes = list(
        StageChange.objects.filter(
            Q(relationship__contact__in=visible) | Q(relationship__contact__in=concerned)
        )
        .order_by("relationship_id", "changed_at", "pk")
        .values_list(
            "relationship__contact_id",
            "changed_at",
            "from_stage",
            "to_stage",
            "relationship__created_at",
        )
    )
    return cases, changes


def trust_learning(user, *, today: date) -> TrustLearning:
    """Per activity type, per personality type and per both: how many done activities were
    followed by an advance of the person within N days, the rate and the cost per advance;
    and the median days of each step of the ladder. Three queries, whatever the history."""
    days, min_count = setting()
    until = today - timedelta(days=days)
    cases, changes = cases_and_changes(user, until)

    advances: dict[int, list[date]] = defaultdict(list)
    moves: dict[int, list] = defaultdict(list)
    started: dict[int, date] = {}
    for contact_id, changed_at, from_stage, to_stage, created_at in changes:
        day = timezone.localtime(changed_at).date()
        if to_stage > from_stage:
            advances[contact_id].append(day)
        moves[contact_id].append((day, from_stage, to_stage))
        started.setdefault(contact_id, timezone.localtime(created_at).date())

    type_names: dict[int, str] = {}
    flat, typed, personal = [], [], []
    for contact_id, n, day, cost, type_id, name_en, name_zh, kind in cases:
        type_names[type_id] = _bilingual(name_en, name_zh)
        part = gift_ledger.share(cost, n or 1)
        advanced = learning_rules.advanced_within(day, advances.get(contact_id, ()), days)
        kind = kind or Personality.UNKNOWN
        flat.append((type_id, part, advanced))
        personal.append((kind, part, advanced))
        typed.append(((type_id, kind), part, advanced))

    durations = [
        step
        for contact_id, contact_moves in moves.items()
        for step in learning_rules.step_durations(started[contact_id], contact_moves)
    ]

    def personality(key) -> str:
        return str(Personality(key).label)

    def rows(found, names):
        return sorted(
            (Row(*names(key), figures) for key, figures in found.items()),
            key=lambda row: (-row.tally.count, row.label),
        )

    return TrustLearning(
        days=days,
        min_count=min_count,
        until=until,
        by_type=rows(learning_rules.tally(flat, min_count), lambda k: (type_names[k], "", k)),
        by_personality=rows(
            learning_rules.tally(personal, min_count), lambda k: ("", personality(k), None)
        ),
        by_type_and_personality=rows(
            learning_rules.tally(typed, min_count),
            lambda k: (type_names[k[0]], personality(k[1]), k[0]),
        ),
        steps=learning_rules.step_figures(durations, min_count),
    )
