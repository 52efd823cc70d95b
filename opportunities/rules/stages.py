"""The six moves (摧龙六式) as pipeline stages, and what their exit gates look at (METHOD.md
§2.3, §9.2); the checks themselves are in opportunities/rules/gates.py.

Pure rules: plain values in, plain results out, no database access. The selector gathers the
facts (`GateFacts`) from the opportunity, its buying group and the relationships;
`gates.exit_checks` says which exit checks of a move are met, unmet or not yet measurable,
and what to do next.

Moves 3–6 look at the records of `opportunities/models/` (needs, approval, criteria,
evaluation, concerns, contract, payments), gathered by `opportunities/moves/selectors.py`. A
fact left `None` (nobody gathered it) makes its check "not yet measurable": a check never
passes silently for lack of data.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db.models import IntegerChoices
from django.utils.translation import gettext_lazy as _


class Move(IntegerChoices):
    """六式: the six moves, numbered as in the method."""

    ANALYSIS = 1, _("customer analysis (客户分析)")
    TRUST = 2, _("build trust (建立信任)")
    NEEDS = 3, _("uncover needs (挖掘需求)")
    VALUE = 4, _("present value (呈现价值)")
    COMMITMENT = 5, _("win commitment (赢取承诺)")
    COLLECTION = 6, _("collect payment (回收账款)")


FIRST_MOVE = Move.ANALYSIS
LAST_MOVE = Move.COLLECTION
# Entering move 6 means the contract is signed (METHOD.md §2.3: "keep 签约 won as a pipeline
# milestone"), so an open deal lives in moves 1–5 and a won deal in move 6.
WON_MOVE = Move.COLLECTION

# Relationship stages (relationships.models.Stage) used by the move-2 gate; plain ints here so
# that this module stays free of the ORM.
STAGE_INTERACTION = 2  # 约会
STAGE_TRUST = 3  # 信赖


class Source(enum.StrEnum):
    """Where a flag comes from (METHOD.md §0): the handout, public material, or our inference."""

    HANDOUT = "H"
    SOURCE = "S"
    INFERRED = "I"


@dataclass(frozen=True)
class MoveDefinition:
    move: Move
    short_name: str  # the method's own name, the same in every language
    start_flag: str
    start_source: Source
    end_flag: str
    end_source: Source
    default_probability: int
    buyer_stages: str

    @property
    def start_is_ours(self) -> bool:
        return self.start_source == Source.INFERRED

    @property
    def end_is_ours(self) -> bool:
        return self.end_source == Source.INFERRED


MOVES: dict[int, MoveDefinition] = {
    d.move: d
    for d in (
        MoveDefinition(
            Move.ANALYSIS,
            "客户分析",
            _("Target customer locked in (锁定目标客户)"),
            Source.HANDOUT,
            _(
                "A clear, imminent and valuable opportunity found "
                "(发现明显、近在眼前并且有价值的销售机会)"
            ),
            Source.HANDOUT,
            10,
            _("before the buyer's step 1"),
        ),
        MoveDefinition(
            Move.TRUST,
            "建立信任",
            _("The opportunity is qualified (end of move 1)"),
            Source.INFERRED,
            _(
                "The key people, including a guide (向导) and people at decision level, have "
                "reached trust (信赖) or alliance (同盟), and the customer talks openly about "
                "problems"
            ),
            Source.INFERRED,
            20,
            _("before and throughout"),
        ),
        MoveDefinition(
            Move.NEEDS,
            "挖掘需求",
            _("Trust is in place; trust must come before deep needs work"),
            Source.INFERRED,
            _(
                "Project approved with a budget (立项) and purchase criteria (采购指标) set, "
                "ideally shaped by us"
            ),
            Source.INFERRED,
            35,
            _("buyer's steps 1–3"),
        ),
        MoveDefinition(
            Move.VALUE,
            "呈现价值",
            _("The customer starts to evaluate and compare (评估比较), e.g. an RFP is issued"),
            Source.SOURCE,
            _("The customer picks us as the preferred vendor for commercial talks"),
            Source.INFERRED,
            55,
            _("buyer's step 4"),
        ),
        MoveDefinition(
            Move.COMMITMENT,
            "赢取承诺",
            _("The customer reaches purchase commitment (购买承诺): concerns and negotiation"),
            Source.SOURCE,
            _("Written contract signed"),
            Source.INFERRED,
            80,
            _("buyer's step 5"),
        ),
        MoveDefinition(
            Move.COLLECTION,
            "回收账款",
            _("Contract signed"),
            Source.INFERRED,
            _("The whole receivable (100%) collected: only this, not the signature, ends the sale"),
            Source.SOURCE,
            100,
            _("buyer's step 6 and payment"),
        ),
    )
}


class CheckStatus(enum.StrEnum):
    MET = "met"
    UNMET = "unmet"
    NOT_MEASURABLE = "not_measurable"


CHECK_STATUS_LABELS = {
    CheckStatus.MET: _("met"),
    CheckStatus.UNMET: _("unmet"),
    CheckStatus.NOT_MEASURABLE: _("not yet measurable"),
}


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    status: CheckStatus
    detail: str
    next_action: str

    @property
    def status_label(self) -> str:
        return CHECK_STATUS_LABELS[self.status]

    @property
    def is_met(self) -> bool:
        return self.status == CheckStatus.MET


@dataclass(frozen=True)
class Person:
    """A stakeholder as the gates see it. `stage` is the relationship stage 1–4, or None when
    no relationship has been recorded (treated as below 认识); `evidence` is the highest stage
    a completed activity with them supports, or None when none does."""

    name: str
    is_decision_maker: bool = False
    is_key: bool = False
    is_decision_level: bool = False
    is_guide: bool = False
    stage: int | None = None
    evidence: int | None = None


STAGE_NAMES = {1: "认识", 2: "约会", 3: "信赖", 4: "同盟"}
# The handout's marker activities of each stage (METHOD.md §4.2), in its own words.
STAGE_ACTIVITIES = {
    1: "电话、拜访、小礼品",
    2: "商务活动、本地参观、技术交流、测试和样品",
    3: "联谊活动、家庭活动、异地参观、贵重礼品",
    4: "穿针引线、成为向导、坚定支持",
}


@dataclass(frozen=True)
class TrustRule:
    """Move 2's gate, which is its end flag (METHOD.md §2.3, §9.2 [I]): the key people at
    `stage` or beyond, among them at least `guides` guides and `decision_level` people at
    decision level; a stage counts only when a completed activity supports it, unless
    `unsupported_counts`. Admin settings (MoveThresholdSetting) seeded with these defaults."""

    stage: int = STAGE_TRUST
    guides: int = 1
    decision_level: int = 1
    unsupported_counts: bool = False

    def counted_stage(self, person: Person) -> int:
        """The stage the gate counts: the recorded one when supported (or when unsupported
        stages count), else the highest stage the completed activities support."""
        stage = person.stage or 0
        if self.unsupported_counts or stage <= 1:
            return stage
        return min(stage, person.evidence or 1)

    def reached(self, person: Person) -> bool:
        return self.counted_stage(person) >= self.stage

    @property
    def stage_name(self) -> str:
        return STAGE_NAMES.get(self.stage, str(self.stage))


@dataclass(frozen=True)
class GateFacts:
    """Everything the exit checks look at. Facts of moves 3–6 default to None ("we do not
    record this yet"); the part of the app that records them fills them in."""

    qualification_passes: bool
    qualification_verdict_label: str = ""
    people: Sequence[Person] = field(default_factory=tuple)
    trust: TrustRule = field(default_factory=TrustRule)
    # move 3 挖掘需求
    budget_approved: bool | None = None
    approved_budget: Decimal | None = None
    criteria_recorded: bool | None = None
    criteria_count: int = 0
    criteria_unweighted: int = 0
    influence_percent: int | None = None
    # move 4 呈现价值
    preferred_vendor: bool | None = None
    standing_label: str = ""
    standing_evidence: str = ""
    # move 5 赢取承诺
    open_concerns_without_plan: int | None = None
    unplanned_concerns: Sequence[str] = field(default_factory=tuple)
    contract_signed: bool | None = None
    contract_signed_on: date | None = None
    # move 6 回收账款
    collected_percent: Decimal | None = None


def days_per_move(changes: Sequence[tuple[int, datetime]], now: datetime) -> dict[int, float]:
    """Days spent in each move, from the move history.

    `changes` are (move entered, when) pairs in time order; the deal stayed in each move until
    the next change, and is in the last one until `now`. A move entered twice adds up.
    """
    days: dict[int, float] = {}
    for index, (move, started) in enumerate(changes):
        ended = changes[index + 1][1] if index + 1 < len(changes) else now
        seconds = max((ended - started).total_seconds(), 0.0)
        days[move] = days.get(move, 0.0) + seconds / 86400
    return days
