"""The learn page's charts (opportunities/pipeline/learn_charts.py): each carries the figures of
its table as plain floats, with translated labels; small samples are flagged; the page passes
them with json_script to a canvas per chart, in English and Chinese, at no extra query."""

import json
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from opportunities.models.learning import LearningSetting
from opportunities.pipeline import learn, learn_charts
from opportunities.rules import learning, stages
from tests.opportunities.test_learn import URL, make_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(personas):
    owners = [personas.owner, personas.teammate, personas.manager, personas.outsider]
    approvers = [personas.manager, personas.outsider_manager]
    return make_history(owners, approvers, deals_per_owner=12, seed=7)


def page(client, language="en", **params):
    response = client.get(URL, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def interval(rate):
    return [rate.low_percent, rate.high_percent] if rate.closed else None


def test_the_calibration_chart_carries_the_tables_figures(client_for, personas, history):
    LearningSetting.objects.create(min_closed_deals=10)
    response = page(client_for(personas.manager))
    rows, chart = response.context["calibration"], response.context["charts"]["calibration"]
    configured, won = chart["series"]
    assert chart["unit"] == "percent" and chart["max"] == 100
    assert chart["labels"] == [[str(r.label), f"n={r.rate.closed}"] for r in rows]
    assert configured["data"] == [float(r.configured) for r in rows]
    assert won["data"] == [interval(r.rate) for r in rows]
    assert won["marks"] == [r.rate.share_percent for r in rows]
    # a move without a suggestion (fewer than 10 closed deals) is a small sample, and only there
    assert won["small"] == [r.suggested is None for r in rows]
    assert any(won["small"]) and not all(won["small"])
    assert all(isinstance(v, float) for pair in won["data"] if pair for v in pair)


def test_the_forecast_and_reliability_charts_carry_the_tables_figures(
    client_for, personas, history
):
    response = page(client_for(personas.manager))
    reps, charts = response.context["forecasts"], response.context["charts"]
    estimate, evidence = charts["forecasts"]["series"]
    assert charts["forecasts"]["unit"] == "score"
    assert estimate["data"] == [r.brier for r in reps]
    assert evidence["data"] == [r.evidence_brier for r in reps]
    assert len(reps) == 3
    for rep in reps:
        chart = charts[f"reliability-{rep.user.pk}"]
        assert chart["scatter"] and chart["unit"] == "percent"
        points, proof, diagonal = chart["series"]
        assert points["data"] == [
            {"x": b.mean_estimate, "y": b.won_share} for b in rep.buckets if b.count
        ]
        assert proof["data"] == [
            {"x": b.mean_estimate, "y": b.won_share} for b in rep.evidence_buckets if b.count
        ]
        assert len(points["notes"]) == len(points["data"])
        assert diagonal["line"] and diagonal["data"][-1] == {"x": 100.0, "y": 100.0}


def test_the_gate_charts_carry_the_tables_figures(client_for, personas, history):
    response = page(client_for(personas.manager))
    context, charts = response.context, response.context["charts"]
    normal, override = charts["gates"]["series"]
    assert normal["data"] == [interval(g.normal.rate) for g in context["gates"]]
    assert override["marks"] == [g.override.rate.share_percent for g in context["gates"]]
    for name in ("checks", "approvers"):
        chart, outcomes = charts[name], context[name]
        rows = [context["never_overridden"], *outcomes]
        assert chart["labels"][0] == ["never overridden", f"n={rows[0].rate.closed}"]
        assert [label[0] for label in chart["labels"][1:]] == [o.label for o in outcomes]
        (series,) = chart["series"]
        assert series["data"] == [interval(o.rate) for o in rows]
        assert series["marks"] == [o.rate.share_percent for o in rows]
        assert series["colour"] == [learn_charts.NORMAL] + [learn_charts.OVERRIDE] * len(outcomes)


def rate_row(move, won, closed, configured=50):
    return learn.CalibrationRow(
        move=move,
        label=f"move {move}",
        configured=configured,
        rate=learning.rate(won, closed),
        suggested=learning.suggested_probability(won, closed, 5),
    )


def test_a_move_without_closed_deals_has_no_interval_and_is_a_small_sample():
    chart = learn_charts.calibration_chart([rate_row(1, 0, 0), rate_row(2, 3, 6)], 5)
    configured, won = chart["series"]
    assert won["data"][0] is None and won["marks"][0] is None
    assert won["data"][1] == [learning.rate(3, 6).low_percent, learning.rate(3, 6).high_percent]
    assert won["marks"][1] == 50.0
    assert won["small"] == [True, False]
    assert configured["data"] == [50.0, 50.0]


def test_no_gate_or_override_chart_without_a_passed_gate():
    nothing = learn.Outcome("", learning.rate(0, 0), None)
    gates = [learn.GateRow(m, f"move {m}", nothing, nothing) for m in range(1, 6)]
    assert learn_charts.gates_chart(gates) == {"labels": []}
    assert learn_charts.overrides_chart([], nothing) == {"labels": []}


def test_the_chart_labels_are_translated(client_for, personas, history):
    charts = page(client_for(personas.manager), "zh-hans").context["charts"]
    with translation.override("zh-hans"):
        moves = [str(stages.Move(m).label) for m in range(1, 6)]
    assert [label[0] for label in charts["calibration"]["labels"]] == moves
    assert [s["label"] for s in charts["gates"]["series"]] == ["正常", "经越过"]
    assert charts["forecasts"]["series"][0]["label"] == "Brier：销售的估计"
    reliability = next(v for k, v in charts.items() if k.startswith("reliability-"))
    assert reliability["axes"]["y"] == "赢单（%）"
    english = page(client_for(personas.manager), "en").context["charts"]
    assert [s["label"] for s in english["gates"]["series"]] == ["normally", "by override"]


def charts_in(html: str) -> dict:
    found = re.search(r'<script id="learn-charts" type="application/json">(.*?)</script>', html)
    assert found, "the page passes its charts with json_script"
    return json.loads(found.group(1))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_page_passes_every_chart_to_its_canvas(client_for, personas, history, language):
    response = page(client_for(personas.manager), language)
    html = response.content.decode()
    passed = charts_in(html)
    assert passed == json.loads(json.dumps(response.context["charts"]))
    canvases = set(re.findall(r'<canvas data-chart="([^"]+)" data-source="learn-charts"', html))
    assert canvases == set(passed)  # every chart has its canvas, and every canvas its chart
    assert html.count('role="img"') == len(canvases)
    assert "js/charts.js" in html and "chart.umd.js" in html


def test_a_page_without_closed_deals_draws_the_configured_probabilities_only(client_for, personas):
    html = page(client_for(personas.manager)).content.decode()
    passed = charts_in(html)
    assert passed["gates"] == {"labels": []} and 'data-chart="gates"' not in html
    assert passed["calibration"]["series"][1]["data"] == [None] * 5
    assert passed["forecasts"]["labels"] == [] and 'data-chart="forecasts"' not in html


def test_the_charts_cost_no_query(client_for, personas, history, monkeypatch):
    """The charts reuse the figures of the tables: the page without them asks the same."""
    client = client_for(personas.manager)

    def queries():
        cache.clear()  # the figures are computed each time, not read from the cache
        with CaptureQueriesContext(connection) as captured:
            page(client)
        return len(captured)

    with_charts = queries()
    monkeypatch.setattr(learn_charts, "charts", lambda figures: {})
    assert queries() == with_charts
