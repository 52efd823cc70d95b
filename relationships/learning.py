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
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
CHART_ROWS = 20  # a chart shows the groups with most cases; the table has them all
CHART_COLOUR = "#1565c0"  # static/js/charts.js's blue
# The method's own terms, in both languages (as on the page).
STEP_LABELS = {1: "认识 → 约会", 2: "约会 → 信赖", 3: "信赖 → 同盟"}


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


# -- the charts (static/js/charts.js draws them; its header describes a spec) ---------------------


def _sample(count: int, too_few: bool) -> str:
    if too_few:
        return _("n=%(count)d, too few") % {"count": count}
    return _("n=%(count)d") % {"count": count}


def _money(value) -> str:
    return "—" if value is None else f"¥{value:,.2f}"


def share_chart(rows: list[Row]) -> dict:
    """The advance share of each group with most cases, a small sample hatched; how many cases
    and what an advance cost in its tooltip. `more`: the groups left to the table."""
    shown = rows[:CHART_ROWS]
    return {
        "unit": "percent",
        "max": 100,
        "horizontal": True,
        "legend": False,
        # the type and the personality on lines of their own: a phone cuts a long line
        "labels": [
            [name for name in (row.type_name, row.personality_name) if name]
            + [_sample(row.tally.count, row.tally.too_few)]
            for row in shown
        ],
        "axes": {"x": _("cases followed by an advance (%)")},
        "notes": [
            [
                ngettext(
                    "%(advanced)d of %(count)d case advanced",
                    "%(advanced)d of %(count)d cases advanced",
                    row.tally.count,
                )
                % {"advanced": row.tally.advanced, "count": row.tally.count},
                _("cost per advance: %(cost)s") % {"cost": _money(row.tally.cost_per_advance)},
            ]
            for row in shown
        ],
        "series": [
            {
                "label": _("advanced"),
                "data": [float(row.tally.percent) for row in shown],
                "small": [row.tally.too_few for row in shown],
                "colour": CHART_COLOUR,
            }
        ],
        "more": len(rows) - len(shown),
    }


def steps_chart(steps: list[learning_rules.StepFigure]) -> dict:
    """The median days of each step of the ladder, a small sample hatched (none drawn before
    anyone climbed a step)."""
    if not any(step.count for step in steps):
        return {"labels": []}
    return {
        "unit": "days",
        "legend": False,
        "labels": [[STEP_LABELS[s.from_stage], _sample(s.count, s.too_few)] for s in steps],
        "axes": {"y": _("median days")},
        "series": [
            {
                "label": _("median days"),
                "data": [None if s.median_days is None else float(s.median_days) for s in steps],
                "small": [step.too_few for step in steps],
                "colour": CHART_COLOUR,
            }
        ],
    }


def charts(found: TrustLearning) -> dict:
    """Every chart of the page, by the name its canvas gives (data-chart): no query."""
    return {
        "by_type": share_chart(found.by_type),
        "by_personality": share_chart(found.by_personality),
        "by_type_and_personality": share_chart(found.by_type_and_personality),
        "steps": steps_chart(found.steps),
    }
