"""The migration that gives the activity types the handout's names (relationships 0007) on a
database that was at 0006: the former default names become the handout's, an admin's own name
is kept."""

import sqlite3

from tests.migrating import manage_on


def test_former_default_names_become_the_handouts(tmp_path):
    database = tmp_path / "old.sqlite3"
    manage = manage_on(database)

    manage("migrate", "relationships", "0006", "--noinput")
    with sqlite3.connect(database) as db:
        # The rows as the former defaults named them, and one an admin renamed.
        db.executemany(
            "UPDATE relationships_activitytype SET name_en = ?, name_zh = ? WHERE code = ?",
            [
                ("social event", "社交活动", "social_event"),
                ("out-of-town visit", "外地考察", "out_of_town_visit"),
                ("introduction to colleagues or leaders", "引荐同事或领导", "introduction"),
                ("intelligence from a guide", "向导提供情报", "guide_intelligence"),
                ("business meal or tea", "商务宴请或喝茶", "meal_tea"),
                ("test or sample", "测试或样品", "test_sample"),
                ("client dinner", "客户晚宴", "decision_support"),
            ],
        )
    manage("migrate", "--noinput")
    with sqlite3.connect(database) as db:
        names = dict(
            db.execute(
                "SELECT code, name_zh || ' / ' || name_en FROM relationships_activitytype"
            ).fetchall()
        )
    assert names["social_event"] == "联谊活动 / social event"
    assert names["out_of_town_visit"] == "异地参观 / out-of-town visit"
    assert names["introduction"] == "穿针引线 / introduces colleagues and leaders"
    assert names["guide_intelligence"] == "成为向导 / becomes a guide"
    assert names["meal_tea"] == "商务活动 / business activity (meal, tea)"
    assert names["test_sample"] == "测试和样品 / tests and samples"
    assert names["decision_support"] == "客户晚宴 / client dinner"  # the admin's, kept
