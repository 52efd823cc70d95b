"""Five-criteria qualification of an opportunity (五个标准, METHOD.md §3.5).

Move 1 ends when "a clear, imminent and valuable opportunity" (明确、近在眼前、有价值) is found.
This module scores the five criteria of the handout — budget, purchase timeline, fit with our
strengths, worth it (margin − cost of sale − implementation risk) and the probability of
winning — each 0–100 with a one-line explanation, and gives an overall score and a verdict.

Pure rules: plain values in, plain results out. Weights and thresholds come in as `Rules`
(admin-editable through `QualificationSetting`), and "today" is an argument.

How each criterion scores (our product decisions, METHOD.md [I]; see docs/decisions.md):

- budget (明确): status unknown 0 / estimated 60 / approved 100, times the share of the deal
  the budget covers (half when the budget amount is not known).
- timeline (近在眼前): a decision within `imminent_days` scores 100, falling linearly to 0 at
  `distant_days`; a date already past scores 20 (stale data); none scores 0.
- fit (有价值): 1 → 0, 5 → 100.
- worth it (有价值): net margin after the cost of sale, as a share of `good_margin_percent`,
  times a risk factor (low 1, medium 0.75, high 0.4, unknown 0.6).
- win probability (有价值): the rep's estimate, but never more than the evidence-based figure
  plus the gap tolerance: optimism beyond the evidence does not count.

The evidence-based win figure adds points for what the buying group shows (a known decision
maker, their support, guides, key people at 信赖, no key opponent, fit); it tops out at 90.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import TextChoices
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class BudgetStatus(TextChoices):
    UNKNOWN = "unknown", _("unknown")
    ESTIMATED = "estimated", _("estimated")
    APPROVED = "approved", _("approved")


class Risk(TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class Verdict(TextChoices):
    QUALIFIED = "qualified", _("qualified: clear, imminent and valuable (明确、近在眼前、有价值)")
    NEEDS_WORK = "needs_work", _("needs work")
    NOT_WORTH_IT = "not_worth_it", _("not worth it")


# The method's three words for the end of move 1, and the criteria behind each.
WORDS = {
    "clear": _("clear (明确)"),
    "imminent": _("imminent (近在眼前)"),
    "valuable": _("valuable (有价值)"),
}

BUDGET_BASE = {BudgetStatus.UNKNOWN: 0, BudgetStatus.ESTIMATED: 60, BudgetStatus.APPROVED: 100}
RISK_FACTOR = {
    Risk.LOW: Decimal("1"),
    Risk.MEDIUM: Decimal("0.75"),
    Risk.HIGH: Decimal("0.4"),
    "": Decimal("0.6"),
}
STALE_DATE_SCORE = 20
EVIDENCE_CAP = 90


@dataclass(frozen=True)
class Rules:
    """Weights and thresholds; the defaults are the seeded `QualificationSetting`."""

    weight_budget: int = 25
    weight_timeline: int = 20
    weight_fit: int = 20
    weight_worth: int = 20
    weight_win: int = 15
    qualified_score: int = 65  # overall score needed to qualify …
    criterion_floor: int = 40  # … with no criterion below this
    not_worth_score: int = 35  # overall below this: not worth pursuing
    imminent_days: int = 90  # a decision within this many days is "近在眼前"
    distant_days: int = 365  # … and one this far away or further scores 0
    good_margin_percent: int = 30  # net margin that scores full marks
    gap_points: int = 25  # rep's estimate vs evidence: a gap this large is flagged


@dataclass(frozen=True)
class WinEvidence:
    """What the buying group shows, counted by the selector from the stakeholders."""

    decision_maker_known: bool = False
    decision_maker_supports: bool = False
    guides: int = 0
    key_people: int = 0  # decision makers and high-influence stakeholders
    key_people_at_trust: int = 0  # … at 信赖 or 同盟
    key_opponents: int = 0


@dataclass(frozen=True)
class Inputs:
    amount: Decimal = Decimal(0)
    budget_amount: Decimal | None = None
    budget_status: str = BudgetStatus.UNKNOWN
    decision_date: date | None = None
    fit: int | None = None
    margin_percent: Decimal | None = None
    cost_of_sale: Decimal | None = None
    risk: str = ""
    win_estimate: int | None = None
    evidence: WinEvidence = WinEvidence()


@dataclass(frozen=True)
class CriterionScore:
    code: str
    label: str
    word_code: str  # which of the three words (clear / imminent / valuable) it serves
    word: str
    score: int
    explanation: str
    passes: bool


@dataclass(frozen=True)
class Qualification:
    criteria: tuple[CriterionScore, ...]
    overall: int
    verdict: str
    summary: str
    evidence_figure: int
    evidence_reasons: tuple[str, ...]
    win_estimate: int | None
    gap_flag: bool

    @property
    def verdict_label(self) -> str:
        return str(Verdict(self.verdict).label)

    @property
    def passes(self) -> bool:
        return self.verdict == Verdict.QUALIFIED


def _money(value: Decimal) -> str:
    return f"¥{value:,.0f}"


def _clamp(value: float | Decimal, low: int = 0, high: int = 100) -> int:
    return int(max(low, min(high, round(value))))


def score_budget(inputs: Inputs) -> tuple[int, str]:
    base = BUDGET_BASE.get(inputs.budget_status, 0)
    status = BudgetStatus(inputs.budget_status).label
    if inputs.budget_amount is None:
        coverage = Decimal("0.5")
        explanation = gettext("Budget %(status)s; the amount is not known yet.") % {
            "status": status
        }
    else:
        if inputs.amount > 0:
            coverage = min(Decimal(1), inputs.budget_amount / inputs.amount)
        else:
            coverage = Decimal(1)
        explanation = gettext("Budget %(status)s: %(budget)s, %(share)s%% of the deal value.") % {
            "status": status,
            "budget": _money(inputs.budget_amount),
            "share": _clamp(coverage * 100),
        }
    if base == 0:
        explanation = gettext("Nobody has confirmed a budget yet.")
    return _clamp(base * coverage), explanation


def score_timeline(inputs: Inputs, rules: Rules, today: date) -> tuple[int, str]:
    if inputs.decision_date is None:
        return 0, gettext("No expected decision date yet.")
    days = (inputs.decision_date - today).days
    if days < 0:
        return STALE_DATE_SCORE, gettext(
            "The expected decision date %(date)s has passed: confirm the new date."
        ) % {"date": inputs.decision_date.isoformat()}
    if days <= rules.imminent_days:
        score = 100
    elif days >= rules.distant_days or rules.distant_days <= rules.imminent_days:
        score = 0
    else:
        span = rules.distant_days - rules.imminent_days
        score = _clamp(100 * (rules.distant_days - days) / span)
    return score, gettext("Decision expected in %(days)s days (%(date)s).") % {
        "days": days,
        "date": inputs.decision_date.isoformat(),
    }


def score_fit(inputs: Inputs) -> tuple[int, str]:
    if inputs.fit is None:
        return 0, gettext("Fit with our strengths not rated yet.")
    fit = max(1, min(5, inputs.fit))
    return (fit - 1) * 25, gettext("Fit with our strengths rated %(fit)s of 5.") % {"fit": fit}


def net_margin_percent(inputs: Inputs) -> Decimal | None:
    """Margin left after the cost of sale, as a share of the deal value."""
    if inputs.margin_percent is None or inputs.amount <= 0:
        return None
    gross = inputs.amount * inputs.margin_percent / 100
    net = gross - (inputs.cost_of_sale or 0)
    return net * 100 / inputs.amount


def score_worth(inputs: Inputs, rules: Rules) -> tuple[int, str]:
    if inputs.amount <= 0:
        return 0, gettext("No deal value yet: add the products on the line items.")
    net = net_margin_percent(inputs)
    if net is None:
        return 0, gettext("Expected margin not known yet.")
    good = max(rules.good_margin_percent, 1)
    base = max(Decimal(0), min(Decimal(100), net * 100 / good))
    factor = RISK_FACTOR.get(inputs.risk, RISK_FACTOR[""])
    risk = Risk(inputs.risk).label if inputs.risk else gettext("unknown")
    return _clamp(base * factor), gettext(
        "Net margin %(net)s%% after %(cost)s cost of sale; implementation risk %(risk)s."
    ) % {"net": _clamp(net, -1000, 1000), "cost": _money(inputs.cost_of_sale or 0), "risk": risk}


def evidence_win_figure(evidence: WinEvidence, fit: int | None) -> tuple[int, tuple[str, ...]]:
    """A win probability the buying group's evidence supports, with the reasons."""
    points = 0
    reasons = []
    if evidence.decision_maker_known:
        points += 15
        reasons.append(gettext("+15 a decision maker is known"))
        if evidence.decision_maker_supports:
            points += 15
            reasons.append(gettext("+15 a decision maker supports us"))
    if evidence.guides >= 2:
        points += 20
        reasons.append(gettext("+20 two guides (双向导，双保险)"))
    elif evidence.guides == 1:
        points += 15
        reasons.append(gettext("+15 a guide"))
    if evidence.key_people > 0:
        share = min(evidence.key_people_at_trust, evidence.key_people) / evidence.key_people
        trust_points = round(20 * share)
        if trust_points:
            points += trust_points
            reasons.append(
                gettext("+%(points)s key people at trust (信赖) or better")
                % {"points": trust_points}
            )
        if evidence.key_opponents == 0:
            points += 10
            reasons.append(gettext("+10 no key person opposes us"))
    if fit is not None and fit > 1:
        fit_points = round(10 * (min(fit, 5) - 1) / 4)
        points += fit_points
        reasons.append(gettext("+%(points)s fit with our strengths") % {"points": fit_points})
    if not reasons:
        reasons.append(gettext("No evidence from the buying group yet."))
    return min(points, EVIDENCE_CAP), tuple(reasons)


def score_win(inputs: Inputs, rules: Rules, evidence_figure: int) -> tuple[int, str, bool]:
    estimate = inputs.win_estimate
    if estimate is None:
        return (
            0,
            gettext("No win estimate from the rep yet; the evidence supports about %(e)s%%.")
            % {"e": evidence_figure},
            False,
        )
    estimate = max(0, min(100, estimate))
    gap_flag = abs(estimate - evidence_figure) >= rules.gap_points
    score = min(estimate, evidence_figure + rules.gap_points)
    if score < estimate:
        explanation = gettext(
            "Rep estimates %(rep)s%%, the evidence supports about %(e)s%%: counted as %(score)s%%."
        ) % {"rep": estimate, "e": evidence_figure, "score": score}
    else:
        explanation = gettext("Rep estimates %(rep)s%%, the evidence supports about %(e)s%%.") % {
            "rep": estimate,
            "e": evidence_figure,
        }
    return _clamp(score), explanation, gap_flag


CRITERIA = (
    ("budget", _("Budget (预算)"), "clear"),
    ("timeline", _("Purchase timeline (采购时间)"), "imminent"),
    ("fit", _("Fit with our strengths"), "valuable"),
    ("worth", _("Worth it: margin, cost of sale, risk"), "valuable"),
    ("win", _("Win probability estimate (赢率)"), "valuable"),
)


def qualify(inputs: Inputs, rules: Rules, today: date) -> Qualification:
    """Score the five criteria and give the verdict (METHOD.md §3.5)."""
    evidence_figure, evidence_reasons = evidence_win_figure(inputs.evidence, inputs.fit)
    win_score, win_text, gap_flag = score_win(inputs, rules, evidence_figure)
    raw = {
        "budget": score_budget(inputs),
        "timeline": score_timeline(inputs, rules, today),
        "fit": score_fit(inputs),
        "worth": score_worth(inputs, rules),
        "win": (win_score, win_text),
    }
    weights = {
        "budget": rules.weight_budget,
        "timeline": rules.weight_timeline,
        "fit": rules.weight_fit,
        "worth": rules.weight_worth,
        "win": rules.weight_win,
    }
    criteria = tuple(
        CriterionScore(
            code=code,
            label=str(label),
            word_code=word,
            word=str(WORDS[word]),
            score=raw[code][0],
            explanation=raw[code][1],
            passes=raw[code][0] >= rules.criterion_floor,
        )
        for code, label, word in CRITERIA
    )
    total_weight = sum(max(w, 0) for w in weights.values())
    overall = (
        _clamp(sum(max(weights[c.code], 0) * c.score for c in criteria) / total_weight)
        if total_weight
        else 0
    )
    net = net_margin_percent(inputs)
    losing_money = net is not None and net <= 0
    if overall < rules.not_worth_score or losing_money:
        verdict = Verdict.NOT_WORTH_IT
    elif overall >= rules.qualified_score and all(c.passes for c in criteria):
        verdict = Verdict.QUALIFIED
    else:
        verdict = Verdict.NEEDS_WORK
    return Qualification(
        criteria=criteria,
        overall=overall,
        verdict=verdict.value,
        summary=_summary(verdict, criteria, overall, rules, losing_money),
        evidence_figure=evidence_figure,
        evidence_reasons=evidence_reasons,
        win_estimate=inputs.win_estimate,
        gap_flag=gap_flag,
    )


def _summary(verdict, criteria, overall, rules, losing_money) -> str:
    if verdict == Verdict.QUALIFIED:
        return gettext("Clear, imminent and valuable: this opportunity is worth pursuing.")
    if losing_money:
        return gettext("The cost of sale eats the whole margin: the deal loses money.")
    missing = []
    for word in ("clear", "imminent", "valuable"):
        if any(not c.passes for c in criteria if c.word_code == word):
            missing.append(str(WORDS[word]))
    if missing:
        return gettext("Not yet %(words)s. Overall %(overall)s, %(needed)s needed to qualify.") % {
            "words": ", ".join(missing),
            "overall": overall,
            "needed": rules.qualified_score,
        }
    return gettext("Overall %(overall)s, %(needed)s needed to qualify.") % {
        "overall": overall,
        "needed": rules.qualified_score,
    }
