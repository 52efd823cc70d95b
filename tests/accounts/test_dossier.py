"""accounts/dossier/: the completeness rules (pure, no database)."""

from dataclasses import fields, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accounts.dossier import (
    CHECKS,
    CHECKS_BY_CODE,
    DEFAULT_WEIGHTS,
    Category,
    DossierFacts,
    assess,
)

EMPTY = DossierFacts()
FULL = DossierFacts(
    **{f.name: (True if f.type in (bool, "bool") else 5) for f in fields(DossierFacts)}
)


def test_an_empty_dossier_scores_zero_everywhere():
    result = assess(EMPTY)
    assert result.score == 0
    assert all(c.score == 0 for c in result.categories)
    assert len(result.next_questions) == len(CHECKS)


def test_a_full_dossier_scores_one_and_asks_nothing():
    result = assess(FULL)
    assert result.score == 1
    assert result.next_questions == ()


def test_every_category_has_checks_and_codes_are_unique():
    assert {c.category for c in CHECKS} == set(Category)
    assert len(CHECKS_BY_CODE) == len(CHECKS)


@pytest.mark.parametrize(
    ("facts", "code"),
    [
        (DossierFacts(decision_contacts=1), "organisation_decision_contact"),
        (DossierFacts(procurement_heads=1), "organisation_procurement_head"),
        (DossierFacts(guides=1), "organisation_guide"),
        (DossierFacts(guides=2), "organisation_second_guide"),
        (DossierFacts(competitors_rated=1), "competition_satisfaction"),
        (DossierFacts(profiles_with_interests=1), "personal_interests"),
        (DossierFacts(installed_products=1), "background_installed_base"),
        (DossierFacts(has_finances=True), "background_finances"),
        (DossierFacts(ties=1), "personal_ties"),
    ],
)
def test_a_fact_meets_its_check(facts, code):
    met = {r.check.code for c in assess(facts).categories for r in c.met}
    assert code in met


def test_one_guide_is_not_yet_a_double_safeguard():
    org = assess(DossierFacts(guides=1)).category(Category.ORGANISATION)
    assert "organisation_guide" in {r.check.code for r in org.met}
    assert "organisation_second_guide" in {r.check.code for r in org.unmet}


@pytest.mark.parametrize(
    ("facts", "category", "expected"),
    [
        # organisation weights: 1+1+1+2+1+1+3+2+1+1+3+1 = 18
        (DossierFacts(decision_contacts=1), Category.ORGANISATION, 3 / 18),
        (DossierFacts(decision_contacts=1, guides=2), Category.ORGANISATION, 7 / 18),
        # competition weights: 2+1+2+1+1 = 7
        (DossierFacts(competitors_present=1, competitors_rated=1), Category.COMPETITION, 4 / 7),
        # background weights: 1+1+1+1+1+2+1+2+1 = 11
        (DossierFacts(has_industry=True, purchase_plans=1), Category.BACKGROUND, 3 / 11),
        # personal weights: 1+2+1+1+2+1 = 8
        (DossierFacts(profiles=1, profiles_with_interests=1), Category.PERSONAL, 3 / 8),
    ],
)
def test_category_scores_are_weighted_shares(facts, category, expected):
    assert assess(facts).category(category).score == pytest.approx(expected)


def test_the_overall_score_weighs_every_check():
    total = sum(DEFAULT_WEIGHTS.values())
    facts = DossierFacts(decision_contacts=1, competitors_present=1)
    assert assess(facts).score == pytest.approx((3 + 2) / total)


def test_weights_override_the_defaults_and_zero_switches_a_check_off():
    facts = DossierFacts(guides=1)
    weights = dict.fromkeys(DEFAULT_WEIGHTS, 0)
    weights["organisation_guide"] = 5
    weights["organisation_decision_contact"] = 5
    result = assess(facts, weights)
    org = result.category(Category.ORGANISATION)
    assert [r.check.code for r in org.results] == [
        "organisation_decision_contact",
        "organisation_guide",
    ]
    assert org.score == 0.5
    # A category with every check switched off has nothing to find out.
    assert result.category(Category.PERSONAL).score == 1
    assert result.category(Category.PERSONAL).results == ()


def test_next_questions_come_heaviest_first():
    questions = assess(EMPTY).next_questions
    heaviest = [c for c in CHECKS if c.default_weight == max(DEFAULT_WEIGHTS.values())]
    assert set(questions[: len(heaviest)]) == {c.question for c in heaviest}


def test_the_questions_are_translated(settings):
    from django.utils import translation

    with translation.override("en"):
        english = str(CHECKS_BY_CODE["organisation_guide"].question)
    assert "guide (向导)" in english


# --- properties ---------------------------------------------------------------------------


def _fact_strategy(field):
    return st.booleans() if field.type in (bool, "bool") else st.integers(0, 50)


facts_strategy = st.builds(
    DossierFacts, **{f.name: _fact_strategy(f) for f in fields(DossierFacts)}
)
weights_strategy = st.dictionaries(
    st.sampled_from(sorted(DEFAULT_WEIGHTS)), st.integers(0, 20), max_size=len(DEFAULT_WEIGHTS)
)


@st.composite
def more_data(draw, facts):
    """`facts` with some data added: counts grow, unknowns become known."""
    changes = {}
    for f in fields(DossierFacts):
        value = getattr(facts, f.name)
        if isinstance(value, bool):
            changes[f.name] = value or draw(st.booleans())
        else:
            changes[f.name] = value + draw(st.integers(0, 5))
    return replace(facts, **changes)


@given(facts_strategy, weights_strategy)
def test_scores_stay_between_zero_and_one(facts, weights):
    result = assess(facts, weights)
    assert 0 <= result.score <= 1
    assert all(0 <= c.score <= 1 for c in result.categories)
    assert 0 <= result.percent <= 100


@given(st.data(), facts_strategy, weights_strategy)
def test_adding_data_never_lowers_a_score(data, facts, weights):
    richer = data.draw(more_data(facts))
    before, after = assess(facts, weights), assess(richer, weights)
    assert after.score >= before.score
    for old, new in zip(before.categories, after.categories, strict=True):
        assert new.score >= old.score
        assert {r.check.code for r in new.met} >= {r.check.code for r in old.met}


@given(facts_strategy, weights_strategy)
def test_the_questions_are_exactly_the_unmet_checks(facts, weights):
    result = assess(facts, weights)
    unmet = [r for c in result.categories for r in c.unmet]
    assert len(result.next_questions) == len(unmet)
    assert all(r.weight > 0 for c in result.categories for r in c.results)
