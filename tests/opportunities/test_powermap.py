"""The power map: the level × function grid and the gaps it calls out."""

import pytest

from accounts.models import Function, Level
from opportunities.rules.powermap import MapPerson, build_grid, gaps


def person(
    name="P",
    level="operational",
    function="user",
    roles=(),
    guide=False,
    attitude="neutral",
    influence="medium",
):
    return MapPerson(
        pk=hash(name),
        name=name,
        title="",
        level=level,
        function=function,
        roles=[(r, r) for r in roles],
        attitude=attitude,
        attitude_label=attitude,
        influence=influence,
        influence_label=influence,
        is_guide=guide,
    )


def test_people_land_in_their_level_and_function_cell_top_level_first():
    boss = person("Boss", level="decision", function="procurement")
    rows = build_grid(
        [boss, person("Odd", level="?", function="?")], Level.choices, Function.choices
    )
    assert [row.level for row in rows] == ["decision", "management", "operational"]
    functions = [code for code, _label in Function.choices]
    assert rows[0].cells[functions.index("procurement")] == [boss]
    # Unknown values fall into the bottom row / last column rather than vanish.
    assert rows[-1].cells[-1][0].name == "Odd"


ROLES = {"no_designer", "no_evaluator", "no_user", "no_initiator"}
ALL_ROLES = ["decision_maker", "designer", "evaluator", "user", "initiator"]


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([], {"no_decision_maker", "no_guide", "single_threaded", "no_decision_level", *ROLES}),
        ([person(level="decision", roles=ALL_ROLES, guide=True)], {"single_threaded"}),
        (
            [
                person("A", level="decision", roles=["decision_maker", "designer"]),
                person("B", guide=True, attitude="opponent", influence="high", roles=ALL_ROLES),
            ],
            {"key_opponent"},
        ),
        (
            [person("A", roles=["decision_maker"]), person("B", guide=True)],
            {"no_decision_level", *ROLES},
        ),
        # each purchase role missing on its own is its own gap
        *[
            (
                [
                    person(
                        "A", level="decision", guide=True, roles=[r for r in ALL_ROLES if r != gone]
                    ),
                    person("B"),
                ],
                {f"no_{gone}"},
            )
            for gone in ALL_ROLES
        ],
    ],
)
def test_gaps_are_called_out(people, expected):
    assert {gap.code for gap in gaps(people)} == expected
    assert all(gap.text and gap.next_action for gap in gaps(people))
