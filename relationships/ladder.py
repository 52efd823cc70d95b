"""The relationship ladder of move 2 as pure rules (METHOD.md §4.2–§4.5). No database here:
plain values in, plain results out, so the rules are easy to test and to read.

- suggest_advance: an activity that evidences a higher stage suggests the advance (the rep
  confirms it; nothing moves by itself);
- is_supported: a stage is "unsupported" when no activity evidences it or a higher one;
- is_cooling: no activity for more days than the stage's threshold;
- next_best_actions: the activity types of the next stage, suited to the personality type and
  to the person's interest points;
- trust_quadrant: the trust matrix of institutional × personal needs (§4.3);
- merge_interests: the interest points recorded on the relationship, then those the personal
  profile names (hobbies, sports, food, reading: §3.3), each once.
"""

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

ACQUAINTANCE, INTERACTION, TRUST, ALLIANCE = 1, 2, 3, 4
STAGES = (ACQUAINTANCE, INTERACTION, TRUST, ALLIANCE)

# §4.2: the evidence that a stage is reached, and its typical activities.
STAGE_EVIDENCE = {
    ACQUAINTANCE: _("The customer knows you and can call you by name."),
    INTERACTION: _("The customer accepts meetings outside the office, at third-party venues."),
    TRUST: _("The customer joins semi-private activities."),
    ALLIANCE: _("The customer actively works for us."),
}
STAGE_TYPICAL = {
    ACQUAINTANCE: _("phone calls (电话), visits (拜访), small gifts (小礼品)"),
    INTERACTION: _(
        "business activities such as meals or tea (商务活动), local site visits (本地参观), "
        "technical exchanges (技术交流), tests and samples (测试和样品)"
    ),
    TRUST: _(
        "social events (联谊活动), family activities (家庭活动), out-of-town visits (异地参观), "
        "valuable gifts within the law (贵重礼品)"
    ),
    ALLIANCE: _(
        "introduces colleagues and leaders (穿针引线); becomes a guide giving continuous "
        "intelligence (成为向导); firmly backs our proposal at decision time (坚定支持)"
    ),
}


@dataclass(frozen=True)
class PersonalityGuide:
    recognise: str
    values: str
    handle: str
    approach: str  # how to run the next activity with this person
    style: str | None  # the ActivityStyle this person responds to best


# §4.4 (generic material [S7], not Fu Yao's words).
PERSONALITY_GUIDES = {
    "peacock": PersonalityGuide(
        recognise=_("Enthusiastic, talkative, likes to show off, cares about image, optimistic."),
        values=_("Recognition, praise, attention, a big vision."),
        handle=_(
            "Respond warmly; praise them and ask for their views; paint the vision; use peer "
            "and industry cases; make them look good."
        ),
        approach=_("Make it social and give them the stage: recognition, a vision, peers."),
        style="recognition",
    ),
    "koala": PersonalityGuide(
        recognise=_(
            "Friendly, calm, unhurried, avoids conflict, likes the status quo; decides slowly."
        ),
        values=_("Relationship, safety, support."),
        handle=_(
            "Lead with the relationship; be patient; reassure; help them decide and show which "
            "peers have done it; never command."
        ),
        approach=_("Keep it steady and low-pressure: safety, reassurance, the relationship."),
        style="rapport",
    ),
    "owl": PersonalityGuide(
        recognise=_("Careful, detail-focused, decides only when sure, plan-driven."),
        values=_("Respect, accuracy, evidence."),
        handle=_(
            "Be structured and respectful; bring data, facts, cost calculations and "
            "documentation; give them time."
        ),
        approach=_("Make it data-heavy: figures, documentation and time to study them."),
        style="evidence",
    ),
    "tiger": PersonalityGuide(
        recognise=_(
            "Strong, direct, impatient with small talk, wants to be respected and in control."
        ),
        values=_("Results, benefits, power."),
        handle=_(
            "Be brief and to the point; lead with benefits and outcomes; give confident, "
            "decisive answers; prepare for tough questions."
        ),
        approach=_("Keep it short and results-first: outcomes, benefits, a clear decision."),
        style="results",
    ),
}
UNKNOWN_APPROACH = _("Watch how they talk and decide, then record their personality type.")


@dataclass(frozen=True)
class TypeInfo:
    """An activity type as plain values."""

    code: str
    name: str
    stage: int | None
    style: str = "neutral"
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    """A suggested next activity, with the reasons it is suggested."""

    code: str
    name: str
    stage: int
    score: int
    reasons: tuple[str, ...] = field(default_factory=tuple)


def clamp_stage(stage: int) -> int:
    return max(ACQUAINTANCE, min(ALLIANCE, stage))


def evidenced_stage(activity_stages: Iterable[int | None]) -> int | None:
    """The highest stage the activities evidence, or None when none evidences a stage."""
    stages = [s for s in activity_stages if s is not None]
    return clamp_stage(max(stages)) if stages else None


def suggest_advance(current: int, activity_stage: int | None) -> int | None:
    """The stage to suggest after an activity evidencing `activity_stage`, or None.

    Only ever an advance (never below or at `current`), never past 同盟; the rep confirms it."""
    if activity_stage is None:
        return None
    target = clamp_stage(activity_stage)
    return target if target > current else None


def is_supported(stage: int, activity_stages: Iterable[int | None]) -> bool:
    """A stage is supported when an activity evidences it or a higher stage. 认识 is the floor
    every relationship starts on, so it needs no evidence."""
    if stage <= ACQUAINTANCE:
        return True
    best = evidenced_stage(activity_stages)
    return best is not None and best >= stage


def days_without_activity(last_activity: date | None, since: date, today: date) -> int:
    """Days since the last activity (or since `since`, when the relationship has none)."""
    return max(0, (today - (last_activity or since)).days)


def is_cooling(
    stage: int,
    last_activity: date | None,
    since: date,
    today: date,
    thresholds: Mapping[int, int],
) -> bool:
    """True when the relationship has gone longer without activity than its stage allows.
    A stage without a threshold never cools."""
    limit = thresholds.get(stage)
    if limit is None:
        return False
    return days_without_activity(last_activity, since, today) > limit


def trust_quadrant(institutional_met: bool, personal_met: bool) -> str:
    """§4.3: partner (both met), supplier (institutional only), friend (personal only),
    outsider (neither)."""
    if institutional_met and personal_met:
        return "partner"
    if institutional_met:
        return "supplier"
    if personal_met:
        return "friend"
    return "outsider"


INTEREST_SEPARATORS = re.compile(r"[,，、;；/\n]")


def merge_interests(recorded: Sequence[str], profile_texts: Iterable[str]) -> list[str]:
    """The interest points to act on: the recorded ones first, as typed, then every item the
    profile's texts list (split at commas, 、, semicolons, slashes and line ends), each
    interest once whatever its case."""
    seen, merged = set(), []
    items = [
        *recorded,
        *(part for text in profile_texts for part in INTEREST_SEPARATORS.split(text or "")),
    ]
    for item in items:
        text = item.strip()
        if text and text.casefold() not in seen:
            seen.add(text.casefold())
            merged.append(text)
    return merged


def _matching_interests(keywords: Sequence[str], interests: Sequence[str]) -> list[str]:
    found = []
    for interest in interests:
        text = interest.strip().lower()
        if text and any(k.lower() in text or text in k.lower() for k in keywords if k.strip()):
            found.append(interest.strip())
    return found


def next_best_actions(
    stage: int,
    personality: str,
    interests: Sequence[str],
    types: Sequence[TypeInfo],
    limit: int = 4,
) -> list[Action]:
    """The activity types of the next stage (of 同盟 itself once there: keep the alliance alive),
    best first: those that suit the personality type, then those matching an interest point."""
    target = clamp_stage(stage + 1)
    guide = PERSONALITY_GUIDES.get(personality)
    actions = []
    for index, info in enumerate(types):
        if info.stage != target:
            continue
        score, reasons = 0, []
        if guide and guide.style and info.style == guide.style:
            score += 2
            reasons.append(guide.approach)
        for interest in _matching_interests(info.keywords, interests):
            score += 1
            reasons.append(_("Builds on their interest: %(interest)s") % {"interest": interest})
        actions.append((-score, index, Action(info.code, info.name, target, score, tuple(reasons))))
    actions.sort(key=lambda item: (item[0], item[1]))
    return [action for _score, _index, action in actions[:limit]]
