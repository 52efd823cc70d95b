"""Whose figures the pipeline page shows: a rep only their own, a manager their teams, an
admin everyone; the team and rep filters narrow that and can never widen it (METHOD.md §9,
DESIGN.md "Access policy"). Charts and CSV exports follow the same scope."""

import csv
import io

import pytest
from django.urls import reverse

from crm.models import Membership
from opportunities.pipeline import figures as pipeline
from tests.factories import MembershipFactory, TeamFactory
from tests.opportunities.pipeline_data import make_deal

pytestmark = pytest.mark.django_db

URL = reverse("opportunities:pipeline")


@pytest.fixture
def deals(personas):
    return {
        "owner": make_deal(personas.owner, move=2, amount="1000", name="Owner deal"),
        "teammate": make_deal(personas.teammate, move=3, amount="20000", name="Teammate deal"),
        "manager": make_deal(personas.manager, move=1, amount="300000", name="Manager deal"),
        "outsider": make_deal(personas.outsider, move=4, amount="4000000", name="Outsider deal"),
    }


def open_amount(client, query=""):
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.context["funnel"]["basin_total"].amount, response


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("owner", 1000),
        ("teammate", 20000),
        ("manager", 321000),
        ("outsider", 4000000),
        ("outsider_manager", 4000000),
        ("admin", 4321000),
    ],
)
def test_each_persona_sees_exactly_their_reach(client_for, personas, deals, who, expected):
    amount, response = open_amount(client_for(getattr(personas, who)))
    assert amount == expected
    reps = {row.user.username for row in response.context["reps"]}
    if who in ("owner", "teammate", "outsider"):
        assert reps == {who}


def test_a_rep_never_sees_a_teammates_name_or_figures(client_for, personas, deals):
    _amount, response = open_amount(client_for(personas.owner))
    page = response.content.decode()
    assert "Teammate deal" not in page and "Outsider deal" not in page
    assert "20,000" not in page


@pytest.mark.parametrize("param", ["team", "rep"])
def test_crafted_filters_cannot_widen_the_scope(client_for, personas, deals, param):
    other_team = personas.outsider.memberships.get().team
    value = other_team.pk if param == "team" else personas.outsider.pk
    amount, response = open_amount(client_for(personas.manager), f"?{param}={value}")
    assert amount == 321000  # the invalid filter is ignored, the scope stays the manager's
    assert response.context["form"].errors[param]
    amount, _response = open_amount(client_for(personas.owner), f"?rep={personas.teammate.pk}")
    assert amount == 1000


def test_an_other_teams_manager_gets_nothing_of_team_a(client_for, personas, deals):
    team_a = personas.owner.memberships.get().team
    client = client_for(personas.outsider_manager)
    for query in (f"?team={team_a.pk}", f"?rep={personas.owner.pk}", ""):
        amount, response = open_amount(client, query)
        assert amount == 4000000
        assert "Owner deal" not in response.content.decode()
        assert personas.owner.pk not in {row.user.pk for row in response.context["reps"]}


def test_filters_narrow_a_managers_scope(client_for, personas, deals):
    client = client_for(personas.manager)
    assert open_amount(client, f"?rep={personas.teammate.pk}")[0] == 20000
    team_a = personas.owner.memberships.get().team
    assert open_amount(client, f"?team={team_a.pk}")[0] == 321000


def test_a_manager_of_two_teams_filters_one(client_for, personas, deals):
    other = personas.outsider.memberships.get().team
    MembershipFactory(team=other, user=personas.manager, role=Membership.Role.MANAGER)
    client = client_for(personas.manager)
    assert open_amount(client)[0] == 4321000
    # Team B's members: the outsider, and the manager now that they manage it too.
    assert open_amount(client, f"?team={other.pk}")[0] == 4300000


def test_a_member_of_a_team_the_viewer_does_not_manage_stays_out(personas, deals):
    """A rep who is in a managed team and in another team: only their own deals count, never
    their other team's."""
    side = TeamFactory(name="Side team")
    MembershipFactory(team=side, user=personas.teammate)
    scope = pipeline.scope_for(personas.manager, team=side)
    assert pipeline.funnel(scope)["basin_total"].amount == 20000


def read_csv(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("table", ["funnel", "reps", "stalled", "inflated", "late", "forecast"])
def test_csv_exports_follow_the_same_scope(client_for, personas, deals, table):
    response = client_for(personas.owner).get(
        URL + f"?format=csv&table={table}&rep={personas.teammate.pk}"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Teammate deal" not in body and "Outsider deal" not in body
    assert "20000" not in body and "4000000" not in body


def test_every_csv_table_exports(client_for, personas, deals):
    from opportunities.pipeline.views import CSV_TABLES

    client = client_for(personas.admin)
    for table in CSV_TABLES:
        rows = read_csv(client.get(URL + f"?format=csv&table={table}"))
        assert rows and rows[0], table
    assert client.get(URL + "?format=csv&table=nope").status_code == 404


def test_csv_cells_cannot_run_formulas(client_for, personas):
    make_deal(personas.owner, move=3, name='=HYPERLINK("http://evil")')
    from crm.exporting import cell as _cell

    assert _cell("=1+1") == "'=1+1"
    assert _cell("-12.5") == "-12.5"
    assert _cell("@SUM(A1)") == "'@SUM(A1)"


def test_charts_carry_only_the_scoped_figures(client_for, personas, deals):
    response = client_for(personas.owner).get(URL)
    charts = response.context["charts"]
    assert charts["reps"]["labels"] == [str(personas.owner)]
    assert sum(charts["funnel"]["series"][0]["data"]) == 1000


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_new_team_is_told_what_to_do_first(client_for, personas):
    response = client_for(personas.manager).get(URL, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.context["empty"]
    assert "Nothing in this pipeline yet" in page
    assert "Add your target accounts" in page
    response = client_for(personas.manager).get(
        URL + "?close_month=2030-01", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "No deal matches these filters." in response.content.decode()


def test_a_bad_close_month_is_ignored_with_a_message(client_for, personas, deals):
    amount, response = open_amount(client_for(personas.manager), "?close_month=2026-13&period=nope")
    assert amount == 321000
    assert set(response.context["form"].errors) == {"close_month", "period"}
