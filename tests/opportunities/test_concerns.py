"""The concern detector over activity notes, and the concern gate rule (METHOD.md §7)."""

from datetime import date

import pytest

from opportunities.moves.concerns import Note, Signal, detect, is_unplanned

SIGNALS = [
    Signal("再等等", "other"),
    Signal("找领导", "career"),
    Signal("问问专家", "quality"),
    Signal("let's wait", "other"),
    Signal("busy lately", "other"),
]


def note(text, pk=1, day=1):
    return Note(pk, date(2026, 1, day), text)


@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ("刘总说方案不错，但想再等等。", ("再等等",)),
        ("要找领导商量，还要问问专家", ("找领导", "问问专家")),
        ("She said LET'S   WAIT until spring", ("let's wait",)),
        ("We have been busy lately", ("busy lately",)),
        ("Good meeting, next step a demo", None),
        ("the busy latelyish sign", None),  # whole words only for Latin phrases
        ("", None),
    ],
)
def test_detector_finds_the_signals(text, phrases):
    found = detect([note(text)], SIGNALS)
    if phrases is None:
        assert found == []
    else:
        assert found[0].phrases == phrases


def test_the_first_signal_in_the_text_sets_the_risk_type_and_excerpt():
    (suggestion,) = detect([note("先问问专家，再找领导")], SIGNALS)
    assert suggestion.risk_type == "quality"
    assert "问问专家" in suggestion.excerpt


def test_notes_already_logged_as_concerns_are_not_suggested_again():
    notes = [note("再等等", pk=1), note("再等等", pk=2, day=3)]
    assert [s.activity_id for s in detect(notes, SIGNALS, already_logged={1})] == [2]


def test_suggestions_come_newest_first_and_excerpts_are_short():
    notes = [note("x" * 500 + "再等等" + "y" * 500, pk=1, day=1), note("再等等", pk=2, day=9)]
    found = detect(notes, SIGNALS)
    assert [s.activity_id for s in found] == [2, 1]
    assert len(found[1].excerpt) < 140 and found[1].excerpt.startswith("…")


@pytest.mark.parametrize(
    ("status", "prevention", "remedy", "blocks"),
    [
        ("open", "", "", True),
        ("open", "plan", "", True),
        ("open", "plan", "fix", False),
        ("planned", "plan", " ", True),
        ("resolved", "", "", False),
    ],
)
def test_a_concern_blocks_until_it_has_both_plans_or_is_resolved(
    status, prevention, remedy, blocks
):
    assert is_unplanned(status, prevention, remedy) is blocks


PLANS = ["", " ", "\t\r\n", "\u3000", " 试点先行 ", "\u3000计划", "pilot"]


@pytest.mark.django_db
def test_the_sql_form_of_the_rule_agrees_with_the_python_one():
    from itertools import product

    from opportunities.models import Concern
    from tests.opportunities.factories import OpportunityFactory

    deal = OpportunityFactory()
    rows = [
        Concern(
            opportunity=deal,
            owner=deal.owner,
            signal="再等等",
            status=status,
            prevention_plan=p,
            remedy_plan=r,
        )
        for status, p, r in product(["open", "planned", "resolved"], PLANS, PLANS)
        if status != "planned" or (p and r)  # the database refuses a planned concern without
    ]
    Concern.objects.bulk_create(rows)
    blocking = set(Concern.objects.blocking().values_list("pk", flat=True))
    assert blocking == {c.pk for c in Concern.objects.all() if c.blocks}
    assert {c.pk for c in Concern.objects.all() if c.blocks} == {
        c.pk
        for c in Concern.objects.all()
        if is_unplanned(c.status, c.prevention_plan, c.remedy_plan)
    }
    assert 0 < len(blocking) < len(rows)
