"""The ladder rules (relationships/ladder.py): table tests and hypothesis properties."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relationships import ladder
from relationships.defaults import ACTIVITY_TYPES

TYPES = [
    ladder.TypeInfo(code, en, stage, style, tuple(k.strip() for k in kw.split(",") if k.strip()))
    for code, en, _zh, stage, style, _limit, kw in ACTIVITY_TYPES
]
stages = st.integers(min_value=1, max_value=4)
activity_stages = st.one_of(st.none(), stages)
personalities = st.sampled_from(["unknown", "peacock", "koala", "owl", "tiger"])
THRESHOLDS = {1: 30, 2: 30, 3: 45, 4: 60}


@pytest.mark.parametrize(
    ("current", "activity_stage", "expected"),
    [
        (1, None, None),  # an email shows no stage
        (1, 1, None),  # same stage: nothing to suggest
        (1, 2, 2),  # a business meal with an acquaintance suggests 约会
        (1, 3, 3),  # a family activity evidences 信赖 directly
        (2, 1, None),  # a lower-stage activity never suggests going down
        (3, 4, 4),
        (4, 4, None),  # nothing above 同盟
    ],
)
def test_suggest_advance_table(current, activity_stage, expected):
    assert ladder.suggest_advance(current, activity_stage) == expected


@given(stages, activity_stages)
def test_the_suggested_stage_is_above_the_current_and_never_past_alliance(current, activity):
    suggested = ladder.suggest_advance(current, activity)
    if suggested is not None:
        assert current < suggested <= ladder.ALLIANCE
        assert suggested == activity


@given(stages, st.lists(activity_stages, max_size=6))
def test_a_stage_is_supported_exactly_when_an_activity_reaches_it(stage, activities):
    reached = [s for s in activities if s is not None and s >= stage]
    assert ladder.is_supported(stage, activities) == (stage == 1 or bool(reached))


@pytest.mark.parametrize(
    ("stage", "activities", "supported"),
    [
        (1, [], True),  # 认识 is the floor
        (2, [], False),
        (2, [None, 1], False),
        (2, [2], True),
        (3, [4], True),
        (4, [3, 2], False),
    ],
)
def test_is_supported_table(stage, activities, supported):
    assert ladder.is_supported(stage, activities) is supported


@pytest.mark.parametrize(
    ("stage", "last_days_ago", "expected"),
    [
        (1, 30, False),  # exactly the threshold: not yet
        (1, 31, True),
        (3, 45, False),
        (3, 46, True),
        (4, 59, False),
        (4, None, True),  # no activity since the relationship started 100 days ago
    ],
)
def test_cooling_table(stage, last_days_ago, expected):
    today = date(2026, 11, 26)
    last = today - timedelta(days=last_days_ago) if last_days_ago is not None else None
    since = today - timedelta(days=100)
    assert ladder.is_cooling(stage, last, since, today, THRESHOLDS) is expected


def test_a_stage_without_threshold_never_cools():
    today = date(2026, 11, 26)
    assert not ladder.is_cooling(2, today - timedelta(days=999), today, today, {1: 5})


@given(stages, st.integers(0, 400), st.integers(0, 400))
def test_cooling_is_monotone_in_time(stage, days, more):
    """Once cooling, a relationship stays cooling while no activity is logged."""
    last = date(2025, 1, 1)
    today = last + timedelta(days=days)
    later = today + timedelta(days=more)
    if ladder.is_cooling(stage, last, last, today, THRESHOLDS):
        assert ladder.is_cooling(stage, last, last, later, THRESHOLDS)


@pytest.mark.parametrize(
    ("institutional", "personal", "quadrant"),
    [
        (True, True, "partner"),
        (True, False, "supplier"),
        (False, True, "friend"),
        (False, False, "outsider"),
    ],
)
def test_trust_quadrant(institutional, personal, quadrant):
    assert ladder.trust_quadrant(institutional, personal) == quadrant


@pytest.mark.parametrize(
    ("personality", "stage", "first"),
    [
        ("owl", 1, "tech_exchange"),  # data-heavy technical exchange for an owl
        ("tiger", 1, "site_visit"),  # results first: see it working at a reference site
        ("koala", 1, "meal_tea"),  # steady, low-pressure
        ("peacock", 2, "social_event"),  # social, recognition
        ("koala", 2, "family_activity"),
        ("tiger", 2, "out_of_town_visit"),
        ("peacock", 3, "introduction"),
        ("owl", 3, "guide_intelligence"),
    ],
)
def test_next_best_actions_suit_the_personality(personality, stage, first):
    actions = ladder.next_best_actions(stage, personality, [], TYPES)
    assert actions[0].code == first
    assert actions[0].reasons  # it says why


def test_an_interest_point_moves_a_matching_activity_up():
    without = ladder.next_best_actions(1, "unknown", [], TYPES)
    with_interest = ladder.next_best_actions(1, "unknown", ["参观工厂"], TYPES)
    assert without[0].code != "site_visit"
    assert with_interest[0].code == "site_visit"
    assert any("参观工厂" in str(reason) for reason in with_interest[0].reasons)


def test_personality_beats_a_single_interest():
    actions = ladder.next_best_actions(1, "owl", ["tea"], TYPES)
    assert [a.code for a in actions[:2]] == ["tech_exchange", "meal_tea"]


@given(stages, personalities, st.lists(st.text(max_size=8), max_size=4))
def test_next_best_actions_are_of_the_next_stage(stage, personality, interests):
    actions = ladder.next_best_actions(stage, personality, interests, TYPES)
    target = min(stage + 1, ladder.ALLIANCE)
    assert actions  # every stage has types in the method's list
    assert all(a.stage == target for a in actions)
    assert [a.score for a in actions] == sorted((a.score for a in actions), reverse=True)
    assert len(actions) <= 4


def test_every_personality_has_guidance():
    for guide in ladder.PERSONALITY_GUIDES.values():
        assert guide.recognise and guide.values and guide.handle and guide.approach
    assert set(ladder.STAGE_EVIDENCE) == set(ladder.STAGES) == set(ladder.STAGE_TYPICAL)


@pytest.mark.parametrize(
    ("language", "words"), [("zh-hans", "测试和样品"), ("en", "tests and samples")]
)
def test_the_interaction_stage_names_tests_and_samples(language, words):
    from django.utils import translation

    with translation.override(language):
        assert words in str(ladder.STAGE_TYPICAL[ladder.INTERACTION])


@pytest.mark.parametrize(
    ("recorded", "texts", "merged"),
    [
        ([], [], []),
        (["golf"], [], ["golf"]),
        ([], ["高尔夫、茶", "", "三国演义; 商业周刊"], ["高尔夫", "茶", "三国演义", "商业周刊"]),
        (["Golf"], ["golf, tennis"], ["Golf", "tennis"]),  # the recorded spelling wins
        (["茶"], ["川菜 / 茶\n钓鱼"], ["茶", "川菜", "钓鱼"]),
        ([" 羽毛球 ", ""], ["，，"], ["羽毛球"]),
    ],
)
def test_merge_interests_table(recorded, texts, merged):
    assert ladder.merge_interests(recorded, texts) == merged


interest_text = st.text(alphabet="ab 高尔夫,，、;/\n", max_size=20)


@given(st.lists(interest_text, max_size=5), st.lists(interest_text, max_size=4))
def test_merged_interests_start_with_the_recorded_and_name_each_once(recorded, texts):
    merged = ladder.merge_interests(recorded, texts)
    alone = ladder.merge_interests(recorded, [])
    assert merged[: len(alone)] == alone
    assert len({m.casefold() for m in merged}) == len(merged)
    assert all(m and m == m.strip() for m in merged)


def test_a_profile_hobby_moves_a_matching_activity_up():
    interests = ladder.merge_interests([], ["周末打高尔夫"])
    actions = ladder.next_best_actions(2, "unknown", interests, TYPES)
    assert actions[0].code == "social_event"
