"""The power map of a buying group: stakeholders on a level × function grid, and the gaps a
manager asks about first (METHOD.md §3.4, §3.6, §9.3 question 2). Pure: no database access."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

DECISION_MAKER = "decision_maker"
DECISION_LEVEL = "decision"
OPPONENT = "opponent"
HIGH = "high"


@dataclass(frozen=True)
class MapPerson:
    pk: int
    name: str
    title: str
    level: str
    function: str
    roles: Sequence[tuple[str, str]]  # (code, label)
    attitude: str
    attitude_label: str
    influence: str
    influence_label: str
    is_guide: bool
    stage: int | None = None
    stage_label: str = ""
    stagnant: bool = False  # relationships.stagnation: the stage has not moved for too long
    stage_since: object = None

    @property
    def is_decision_maker(self) -> bool:
        return any(code == DECISION_MAKER for code, _label in self.roles)

    def holds(self, role: str) -> bool:
        return any(code == role for code, _label in self.roles)


# The purchase roles besides the decision maker (METHOD.md §3.4): what a deal misses without
# each, and the next action.
ROLE_GAPS = (
    (
        "designer",
        _("No designer (设计者) known: nobody turns the motives into the purchase criteria."),
        _("Ask your guide who writes the requirements, and help them set criteria that suit us."),
    ),
    (
        "evaluator",
        _("No evaluator (评估者) known: nobody is known to judge the vendors against them."),
        _("Find out who scores the bids, and show them our proof against each criterion."),
    ),
    (
        "user",
        _("No user (使用者) known: nobody who will work with what is bought."),
        _("Meet the future users: their daily problems are the needs behind the purchase."),
    ),
    (
        "initiator",
        _("No initiator (发起者) known: nobody is known to have raised the need."),
        _("Ask who first raised the problem; they know why the purchase matters."),
    ),
)
ROLE_GAP_CODES = {"no_decision_maker", *(f"no_{role}" for role, _t, _a in ROLE_GAPS)}


@dataclass(frozen=True)
class Gap:
    code: str
    text: str
    next_action: str
    severity: str = "warning"  # "danger" for the gaps that block the move-1 gate


@dataclass
class Row:
    level: str
    label: str
    cells: list[list[MapPerson]] = field(default_factory=list)


def build_grid(
    people: Sequence[MapPerson],
    levels: Sequence[tuple[str, str]],
    functions: Sequence[tuple[str, str]],
) -> list[Row]:
    """Rows from the top level down, one cell per function; unknown values go to the last."""
    level_codes = [code for code, _label in levels]
    function_codes = [code for code, _label in functions]
    rows = [Row(code, str(label), [[] for _f in functions]) for code, label in reversed(levels)]
    by_level = {row.level: row for row in rows}
    for person in people:
        level = person.level if person.level in level_codes else level_codes[0]
        column = (
            function_codes.index(person.function)
            if person.function in function_codes
            else len(function_codes) - 1
        )
        by_level[level].cells[column].append(person)
    return rows


def gaps(people: Sequence[MapPerson]) -> list[Gap]:
    """What is missing from the buying group, most serious first."""
    found = []
    if not any(p.is_decision_maker for p in people):
        found.append(
            Gap(
                "no_decision_maker",
                str(_("No decision maker (决策者) known.")),
                str(_("Ask your guide who decides whether, when and how much to buy.")),
                "danger",
            )
        )
    for role, text, action in ROLE_GAPS:
        if not any(p.holds(role) for p in people):
            found.append(Gap(f"no_{role}", str(text), str(action)))
    if not any(p.is_guide for p in people):
        found.append(
            Gap(
                "no_guide",
                str(_("No guide (向导) in the buying group.")),
                str(_("Develop a guide, starting with whoever is easy to win over.")),
                "danger",
            )
        )
    if len(people) <= 1:
        found.append(
            Gap(
                "single_threaded",
                str(_("Single-threaded deal: everything rests on one person.")),
                str(_("Meet more people across functions and levels.")),
            )
        )
    if not any(p.level == DECISION_LEVEL for p in people):
        found.append(
            Gap(
                "no_decision_level",
                str(_("Nobody at the decision level (决策层).")),
                str(_("Ask for an introduction to a decision-level contact.")),
            )
        )
    opponents = [p.name for p in people if p.attitude == OPPONENT and p.influence == HIGH]
    if opponents:
        found.append(
            Gap(
                "key_opponent",
                str(_("Influential opponent: %(names)s.") % {"names": ", ".join(opponents)}),
                str(_("Find out what this person needs, personally and for the organisation.")),
            )
        )
    return found
