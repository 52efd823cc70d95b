"""The gift ledger's charts (relationships/ledger_charts.py): each person's gifts of the year
against their cap, coloured below / near / over it, and the total per account, as the tables
show them; passed with json_script to a canvas per chart, in both languages."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from relationships import gift_ledger, ledger_charts
from tests.factories import AccountFactory, ContactFactory
from tests.relationships.test_gift_ledger import URL, gift, pinned_today  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def gifts(types, personas):
    """On a government account (cap ¥500): one person below, one near and one over the cap."""
    account = AccountFactory(owner=personas.owner, account_type="government", name="市政府")
    other = AccountFactory(owner=personas.owner, account_type="private", name="Big Private")
    below, near, over = (ContactFactory(account=account, name=n) for n in ("王一", "李二", "张三"))
    gift(types, people=[below], cost=100, owner=personas.owner)
    gift(types, people=[near], cost=450, owner=personas.owner)
    gift(types, people=[over, ContactFactory(account=account)], cost=1400, owner=personas.owner)
    gift(types, people=[ContactFactory(account=other)], cost=900, owner=personas.owner)
    return below, near, over


def page(client, language):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def test_the_people_chart_carries_the_tables_figures(client_for, personas, gifts):
    response = page(client_for(personas.manager), "en")
    people = list(response.context["page_obj"])
    chart = response.context["charts"]["people"]
    total, cap = chart["series"]
    assert chart["unit"] == "money" and chart["horizontal"]
    assert chart["labels"] == [[p.contact_name, p.account_name] for p in people]
    assert total["data"] == [float(p.total) for p in people]
    assert cap["data"] == [float(p.cap) for p in people] and cap["behind"]
    colour = dict(zip((p.contact_name for p in people), total["colour"], strict=True))
    assert (colour["王一"], colour["李二"], colour["张三"]) == (
        ledger_charts.BELOW,  # ¥100 of ¥500
        ledger_charts.NEAR,  # ¥450 of ¥500
        ledger_charts.OVER,  # ¥700 (half of ¥1,400) of ¥500
    )
    assert total["colour"].count(ledger_charts.BELOW) == 2  # and ¥900 of ¥3,000 (private)
    assert chart["notes"][0].startswith("cap ¥")


def test_the_accounts_chart_carries_the_tables_figures_largest_first(client_for, personas, gifts):
    response = page(client_for(personas.manager), "en")
    chart = response.context["charts"]["accounts"]
    table = {name: (total, count) for _pk, name, total, count in response.context["accounts"]}
    assert [label[0] for label in chart["labels"]] == ["市政府", "Big Private"]
    assert chart["series"][0]["data"] == [float(table["市政府"][0]), float(table["Big Private"][0])]
    assert chart["labels"][0][1] == f"{table['市政府'][1]} gifts"
    assert chart["more"] == 0


def test_the_accounts_chart_keeps_the_largest():
    accounts = [(i, f"account {i}", Decimal(i), 1) for i in range(25)]
    with translation.override("en"):
        chart = ledger_charts.accounts_chart(accounts)
    assert len(chart["labels"]) == ledger_charts.CHART_ROWS and chart["more"] == 5
    assert chart["labels"][0] == ["account 24", "1 gift"]
    assert chart["series"][0]["data"][-1] == 5.0


def test_a_persons_colour_follows_the_cap():
    def person(total):
        return gift_ledger.PersonYear(1, "x", 1, "a", "", 2026, Decimal(1000), Decimal(total))

    colours = [ledger_charts.status_colour(person(t)) for t in (799, 800, 1000, 1000.01)]
    assert colours == [
        ledger_charts.BELOW,
        ledger_charts.NEAR,
        ledger_charts.NEAR,
        ledger_charts.OVER,
    ]


def test_the_labels_are_translated(client_for, personas, gifts):
    zh = page(client_for(personas.manager), "zh-hans").context["charts"]
    assert zh["people"]["series"][0]["label"] == "累计"
    assert zh["accounts"]["axes"]["x"] == "合计（元）"
    en = page(client_for(personas.manager), "en").context["charts"]
    assert en["people"]["series"][0]["label"] == "running total"


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_page_passes_every_chart_to_its_canvas(client_for, personas, gifts, language):
    response = page(client_for(personas.manager), language)
    html = response.content.decode()
    found = re.search(r'<script id="ledger-charts" type="application/json">(.*?)</script>', html)
    assert found
    assert json.loads(found.group(1)) == json.loads(json.dumps(response.context["charts"]))
    canvases = re.findall(r'<canvas data-chart="([^"]+)" data-source="ledger-charts"', html)
    assert canvases == ["accounts", "people"]
    assert html.count("chart-key-item") == 4  # below, near, over, the cap
    assert "js/charts.js" in html


def test_the_chart_shows_the_people_of_the_page(types, personas, client_for):
    account = AccountFactory(owner=personas.owner)
    for _ in range(30):
        gift(types, people=[ContactFactory(account=account)], cost=10, owner=personas.owner)
    client = client_for(personas.owner)
    second = client.get(URL, {"page": 2})
    shown = [p.contact_name for p in second.context["page_obj"]]
    assert [label[0] for label in second.context["charts"]["people"]["labels"]] == shown
    assert len(shown) == 5


def test_no_chart_without_a_gift(client_for, personas):
    html = page(client_for(personas.manager), "en").content.decode()
    assert "<canvas" not in html and 'id="ledger-charts"' not in html


def test_the_charts_cost_no_query(client_for, personas, gifts, monkeypatch):
    """The charts reuse the figures of the tables: the page without them asks the same."""
    client = client_for(personas.manager)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            page(client, "en")
        return len(captured)

    with_charts = queries()
    monkeypatch.setattr(ledger_charts, "charts", lambda found, people: {})
    assert queries() == with_charts
