"""Every file we hand to a spreadsheet goes through one cell writer (crm.exporting): a cell
that a spreadsheet would run as a formula (=, +, -, @ first, or a tab or carriage return before
one) gets a leading apostrophe, numbers keep their sign, and control characters are dropped.
Checked on the writer itself, on every list's export in CSV and XLSX, on the pipeline's
tables and on the rejected-rows file of an import."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.models import Account, Contact
from crm.exporting import CONTROL_CHARACTERS, FORMULA_STARTS, cell, native_cell
from imports.engine import rejected_csv
from opportunities.exports import EXPORTS
from opportunities.models import Opportunity, PaymentMilestone
from relationships.defaults import ensure_defaults
from relationships.models import Activity, ActivityType, CoolingThreshold, Festival
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory
from tests.opportunities.moves_factories import won_deal_with_milestones
from tests.relationships.factories import ActivityFactory

EVIL = ["=1+1", "+1+cmd", "-2+3*cmd", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("x")']


def runs(text: str) -> bool:
    """Whether a spreadsheet would take `text` for a formula."""
    try:
        if Decimal(text).is_finite():
            return False
    except (ArithmeticError, ValueError):
        pass
    return text[:1] in FORMULA_STARTS


@pytest.mark.parametrize("text", EVIL)
def test_a_formula_gets_an_apostrophe(text):
    assert cell(text) == "'" + text
    assert native_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-12.5", "+3", "-0", "1e5"])
def test_a_number_keeps_its_sign(text):
    assert cell(text) == text


def test_control_characters_are_dropped_and_line_breaks_kept():
    assert cell("a\x00b\x07c\x1bd") == "abcd"
    assert cell("line\nbreak\r\nand\ttab") == "line\nbreak\r\nand\ttab"
    assert cell("\x00=1+1") == "'=1+1"


def test_values_that_are_not_text():
    assert cell(None) == ""
    assert cell(Decimal("3.5")) == "3.50"
    assert native_cell(Decimal("3.5")) == Decimal("3.5")
    assert native_cell(7) == 7


@given(st.text())
def test_no_cell_can_run_and_none_holds_a_control_character(text):
    written = cell(text)
    assert not runs(written)
    assert not CONTROL_CHARACTERS.search(written)


@pytest.fixture
def poisoned(personas):
    """One record of every exported list whose text is a formula."""
    owner = personas.owner
    account = AccountFactory(owner=owner, name="=1+1", external_id="@A1")
    ContactFactory(account=account, name="+1+cmd", email="")
    OpportunityFactory(account=account, owner=owner, name="-2+3*cmd", next_step="@SUM(A1)")
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    ActivityFactory(account=account, owner=owner, type=ActivityType.objects.order_by("pk").first())
    Activity.objects.update(notes='=HYPERLINK("x")', outcome="\t=1+1")
    deal = won_deal_with_milestones(owner)
    Opportunity.objects.filter(pk=deal.pk).update(name="=1+1")
    PaymentMilestone.objects.filter(opportunity=deal).update(name="@SUM(A1)")
    assert Contact.objects.filter(name="+1+cmd").exists()
    assert Account.objects.filter(name="=1+1").exists()
    return owner


def _download(client, what, fmt):
    response = client.get(reverse("opportunities:export", args=[what, fmt]))
    assert response.status_code == 200
    return b"".join(response.streaming_content) if response.streaming else response.content


def _csv_cells(body: bytes) -> list[str]:
    return [c for row in csv.reader(io.StringIO(body.decode("utf-8-sig"))) for c in row]


def _xlsx_cells(body: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("what", list(EXPORTS))
def test_no_export_writes_a_cell_that_runs(poisoned, personas, client_for, what, fmt):
    body = _download(client_for(personas.owner), what, fmt)
    cells = _csv_cells(body) if fmt == "csv" else _xlsx_cells(body)
    assert [c for c in cells if runs(c)] == []
    assert any(c[:2] in {"'=", "'+", "'-", "'@"} for c in cells)  # the poison is in the file


@pytest.mark.django_db
def test_the_pipeline_tables_write_no_cell_that_runs(poisoned, personas, client_for):
    from opportunities.pipeline.views import CSV_TABLES

    client = client_for(personas.owner)
    for name in CSV_TABLES:
        response = client.get(reverse("opportunities:pipeline"), {"format": "csv", "table": name})
        assert response.status_code == 200
        assert [c for c in _csv_cells(response.content) if runs(c)] == []


def test_the_rejected_rows_file_writes_no_cell_that_runs():
    report = {
        "headers": ["name", "amount"],
        "rejected": [
            {"row": 3, "values": {"name": "=1+1", "amount": "@SUM(A1)"}, "errors": [["", "-x"]]},
            {"row": 4, "values": {"name": "\t=cmd", "amount": "-5"}, "errors": [["amount", "?"]]},
        ],
    }
    rows = list(csv.reader(io.StringIO(rejected_csv(report).lstrip("\ufeff"))))
    assert rows[1] == ["'=1+1", "'@SUM(A1)", "3", "'-x"]
    assert rows[2][:2] == ["'\t=cmd", "-5"]
    assert [c for row in rows for c in row if runs(c)] == []


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("accounts.csv", 'attachment; filename="accounts.csv"'),
        ('a"b\r\nSet-Cookie: x=1.csv', 'attachment; filename="abSet-Cookie: x=1.csv"'),
        ("../../etc/passwd", 'attachment; filename="etcpasswd"'),
        ("客户.csv", "attachment; filename*=utf-8''%E5%AE%A2%E6%88%B7.csv"),
        ("\x00\x0b", 'attachment; filename="download"'),
    ],
)
def test_a_download_name_never_breaks_or_injects_a_header(name, expected):
    from django.http import HttpResponse

    from crm.exporting import as_download

    assert as_download(HttpResponse(), name)["Content-Disposition"] == expected
