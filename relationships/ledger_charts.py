"""The charts of the gift ledger: the figures gift_ledger.ledger() computed, as the specs
static/js/charts.js draws (its header describes them). Plain floats and translated labels, built
from what the tables show: no query of their own."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relationships.gift_ledger import Ledger, PersonYear

CHART_ROWS = 20  # the accounts' chart shows the largest; the table has them all
# The colours of static/css/cuilong.css (.pipe-colour-*) and .chart-key-* beside the chart.
BELOW = "#2e7d32"
NEAR = "#e0a100"
OVER = "#c62828"
CAP = "#dee2e6"
ACCOUNTS = "#b3261e"


def _money(value) -> str:
    return f"¥{value:,.2f}"


def status_colour(person: PersonYear) -> str:
    if person.over_cap:
        return OVER
    return NEAR if person.near_cap else BELOW


def people_chart(people: list[PersonYear]) -> dict:
    """Each person's gifts of the year against their yearly cap: below it green, near it amber,
    over it red (the people of the page, in its order)."""
    return {
        "unit": "money",
        "horizontal": True,
        "legend": False,
        "labels": [[person.contact_name, person.account_name] for person in people],
        "axes": {"x": _("gifts of the year (CNY)")},
        "notes": [
            _("cap %(cap)s, remaining %(remaining)s")
            % {"cap": _money(person.cap), "remaining": _money(person.remaining)}
            for person in people
        ],
        "series": [
            {
                "label": _("running total"),
                "data": [float(person.total) for person in people],
                "colour": [status_colour(person) for person in people],
            },
            {
                "label": _("yearly cap"),
                "data": [float(person.cap) for person in people],
                "colour": CAP,
                "behind": True,
            },
        ],
    }


def accounts_chart(accounts: list[tuple[int, str, object, int]]) -> dict:
    """The gifts' total per account, the largest first. `more`: the accounts left to the
    table."""
    largest = sorted(accounts, key=lambda row: (-row[2], row[1]))[:CHART_ROWS]
    return {
        "unit": "money",
        "horizontal": True,
        "legend": False,
        "labels": [
            [name, ngettext("%(count)d gift", "%(count)d gifts", gifts) % {"count": gifts}]
            for _pk, name, _total, gifts in largest
        ],
        "axes": {"x": _("total (CNY)")},
        "series": [
            {
                "label": _("total (CNY)"),
                "data": [float(total) for _pk, _name, total, _gifts in largest],
                "colour": ACCOUNTS,
            }
        ],
        "more": len(accounts) - len(largest),
    }


def charts(found: Ledger, people: list[PersonYear]) -> dict:
    """The page's charts, by the name its canvas gives (data-chart); `people`: those of the
    page shown."""
    return {"accounts": accounts_chart(found.accounts), "people": people_chart(people)}
