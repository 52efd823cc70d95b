"""The charts of "what builds trust" (relationships/learning.py, charts()): the advance share of
each group and the median days per step, as the tables show them, a small sample flagged and
its count in the label; passed with json_script to a canvas per chart, in both languages."""

import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from relationships import learning, learning_rules
from tests.relationships.test_trust_learning import URL, _history, pinned_today  # noqa: F401

pytestmark = pytest.mark.django_db


def page(client, language):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def expected_label(row, too_few_text):
    count = f"n={row.tally.count}"
    names = [name for name in (row.type_name, row.personality_name) if name]
    return [*names, f"{count}, {too_few_text}" if row.tally.too_few else count]


@pytest.fixture
def history(types, personas):
    _history(types, personas.owner, seed=4, size=60)


def test_each_share_chart_carries_its_tables_figures(client_for, personas, history):
    response = page(client_for(personas.manager), "en")
    found, charts = response.context["found"], response.context["charts"]
    for name in ("by_type", "by_personality", "by_type_and_personality"):
        rows, chart = getattr(found, name)[: learning.CHART_ROWS], charts[name]
        (series,) = chart["series"]
        assert chart["unit"] == "percent" and chart["horizontal"]
        assert chart["labels"] == [expected_label(row, "too few") for row in rows]
        assert series["data"] == [float(row.tally.percent) for row in rows]
        assert series["small"] == [row.tally.too_few for row in rows]
        assert chart["notes"][0][0] == (
            f"{rows[0].tally.advanced} of {rows[0].tally.count} cases advanced"
        )
        assert chart["more"] == len(getattr(found, name)) - len(rows)
    small = [s for name in ("by_type", "by_type_and_personality") for s in charts[name]["series"]]
    flags = [flag for series in small for flag in series["small"]]
    assert any(flags) and not all(flags)  # both kinds on the page
    steps = charts["steps"]
    assert steps["unit"] == "days"
    assert steps["series"][0]["data"] == [
        None if s.median_days is None else float(s.median_days) for s in found.steps
    ]
    assert steps["series"][0]["small"] == [s.too_few for s in found.steps]


def test_a_chart_shows_the_groups_with_most_cases_and_counts_the_others():
    rows = [
        learning.Row(f"type {i}", "", i, learning_rules.Tally(30 - i, 3, Decimal(90), 10))
        for i in range(25)
    ]
    with translation.override("en"):
        chart = learning.share_chart(rows)
    assert len(chart["labels"]) == learning.CHART_ROWS and chart["more"] == 5
    assert chart["labels"][0] == ["type 0", "n=30"]
    assert chart["series"][0]["data"][0] == 10.0
    assert chart["notes"][0][1] == "cost per advance: ¥30.00"
    assert learning.share_chart([])["labels"] == []


def test_no_step_chart_before_anyone_climbed():
    steps = learning_rules.step_figures([], 10)
    assert learning.steps_chart(steps) == {"labels": []}


def test_the_labels_are_translated(client_for, personas, history):
    zh = page(client_for(personas.manager), "zh-hans").context
    assert zh["charts"]["steps"]["axes"]["y"] == "天数中位数"
    assert [label[0] for label in zh["charts"]["by_type"]["labels"]] == [
        row.label for row in zh["found"].by_type[: learning.CHART_ROWS]
    ]
    assert any(
        re.search(r"[\u4e00-\u9fff]", label[0]) for label in zh["charts"]["by_type"]["labels"]
    )
    en = page(client_for(personas.manager), "en").context
    assert en["charts"]["steps"]["axes"]["y"] == "median days"
    assert not any(
        re.search(r"[\u4e00-\u9fff]", label[0]) for label in en["charts"]["by_type"]["labels"]
    )


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_page_passes_every_chart_to_its_canvas(client_for, personas, history, language):
    response = page(client_for(personas.manager), language)
    html = response.content.decode()
    found = re.search(r'<script id="trust-charts" type="application/json">(.*?)</script>', html)
    assert found
    passed = json.loads(found.group(1))
    assert passed == json.loads(json.dumps(response.context["charts"]))
    canvases = set(re.findall(r'<canvas data-chart="([^"]+)" data-source="trust-charts"', html))
    assert canvases == {"by_type", "by_personality", "by_type_and_personality", "steps"}
    assert html.count('class="chart-key-item chart-key-small"') == len(canvases)
    assert "js/charts.js" in html


def test_a_page_with_nothing_to_learn_draws_no_chart(client_for, personas):
    html = page(client_for(personas.manager), "en").content.decode()
    assert "<canvas" not in html and 'id="trust-charts"' in html


def test_the_charts_cost_no_query(client_for, personas, history, monkeypatch):
    """The charts reuse the figures of the tables: the page without them asks the same."""
    client = client_for(personas.manager)

    def queries():
        cache.clear()  # the figures are computed each time, not read from the cache
        with CaptureQueriesContext(connection) as captured:
            page(client, "en")
        return len(captured)

    with_charts = queries()
    monkeypatch.setattr(learning, "charts", lambda found: {})
    assert queries() == with_charts


def test_the_cached_figures_follow_every_new_activity(client_for, personas, types):
    """What builds trust is cached until a relationship's data changes (crm/figures.py, the
    relationships' own generation): a new history is counted on the next view, never stale."""
    from crm import figures

    client = client_for(personas.manager)
    _history(types, personas.owner, seed=5, size=10)
    before = page(client, "en").context["found"]
    start = figures.generation(figures.RELATIONSHIPS)
    _history(types, personas.owner, seed=6, size=30)
    assert figures.generation(figures.RELATIONSHIPS) != start
    after = page(client, "en").context["found"]
    cases = sum(row.tally.count for row in after.by_type)
    assert cases > sum(row.tally.count for row in before.by_type)
    assert sum(row.tally.count for row in page(client, "en").context["found"].by_type) == cases
