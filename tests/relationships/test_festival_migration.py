"""The migration that turns typed festival dates into rules (relationships 0006) on a database
that was at 0005: the old defaults become the computed rules, an admin's own day is kept."""

import sqlite3

from tests.migrating import manage_on


def test_typed_festival_dates_become_rules(tmp_path):
    database = tmp_path / "old.sqlite3"
    manage = manage_on(database)

    manage("migrate", "relationships", "0005", "--noinput")
    with sqlite3.connect(database) as db:
        db.executemany(
            "INSERT INTO relationships_festival (name_en, name_zh, date) VALUES (?, ?, ?)",
            [
                ("Spring Festival", "春节", "2027-02-06"),  # as the old defaults typed them
                ("Mid-Autumn Festival", "中秋节", "2028-10-03"),
                ("Founding day of 江南银行", "江南银行行庆", "2027-05-20"),
            ],
        )
    manage("migrate", "--noinput")
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT name_zh, calendar, month, day, term, year FROM relationships_festival"
        ).fetchall()
    assert ("江南银行行庆", "solar", 5, 20, "", 2027) in rows
    assert ("中秋节", "lunar", 8, 15, "", None) in rows
    assert ("清明节", "term", None, None, "清明", None) in rows
    assert len(rows) == 13  # the twelve default rules and the admin's day
