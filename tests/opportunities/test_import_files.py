"""Importing files: what a dry run shows, exact row errors for broken files, nothing written
unless asked, and the same file twice creates nothing twice."""

import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import Workbook

from accounts.models import Account, Contact
from crm.models import User
from imports import engine as importing
from imports import reading
from imports import services as transfer
from opportunities.models import LineItem, MoveChange, Opportunity
from tests.factories import AccountFactory
from tests.opportunities.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


HEADER = "external_id,owner,account,product,stage,engaged_on,closed_on,amount\n"


def run(
    user, kind, content: bytes, *, commit=False, values=None, skip_rejected=False, name="f.csv"
):
    table = reading.read_table(content, name)
    importer = transfer.importer(kind, user, name)
    columns = importing.guess_columns(importer, table.headers)
    return importing.run(
        importer, table, columns, values or {}, commit=commit, skip_rejected=skip_rejected
    )


@pytest.fixture
def catalogue(personas):
    AccountFactory(owner=personas.owner, name="Acme", external_id="ACME")
    return ProductFactory(name="GTX Pro", list_price=Decimal("4821"))


GOOD = (
    HEADER
    + "D1,owner,ACME,GTX Pro,won,2017-01-02,2017-03-01,4514\n"
    + "D2,owner,Acme,GTX Pro,2,2017-02-01,,\n"
    + "D3,owner,,GTX Pro,1,,,\n"
).encode()


def test_a_dry_run_shows_the_plan_and_writes_nothing(personas, catalogue):
    report = run(personas.manager, "opportunities", GOOD)
    assert (report.total, report.created, report.updated, report.rejected) == (3, 3, 0, [])
    assert [w["row"] for w in report.warnings] == [4]  # D3 has no account: kept, reported
    assert not report.applied
    assert not Opportunity.objects.exists()
    assert not MoveChange.objects.exists()


def test_a_confirmed_run_writes_everything_with_history(personas, catalogue):
    report = run(personas.manager, "opportunities", GOOD, commit=True)
    assert report.applied
    won = Opportunity.objects.get(external_id="D1")
    assert (won.status, won.move, won.amount) == ("won", 6, Decimal("4514.00"))
    assert won.account.name == "Acme"
    assert won.history.get().history_user == personas.manager
    engaging = Opportunity.objects.get(external_id="D2")
    assert (engaging.status, engaging.move, engaging.amount) == ("open", 2, Decimal("4821.00"))
    assert Opportunity.objects.get(external_id="D3").account is None
    assert LineItem.objects.count() == 3
    assert MoveChange.objects.filter(changed_by=personas.manager).count() == 3


def test_the_same_file_twice_creates_nothing_twice(personas, catalogue):
    run(personas.manager, "opportunities", GOOD, commit=True)
    again = run(personas.manager, "opportunities", GOOD, commit=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Opportunity.objects.count() == 3
    changed = GOOD.replace(
        b"D1,owner,ACME,GTX Pro,won,2017-01-02,2017-03-01,4514",
        b"D1,owner,ACME,GTX Pro,won,2017-01-02,2017-03-01,5000",
    )
    third = run(personas.manager, "opportunities", changed, commit=True)
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    assert Opportunity.objects.get(external_id="D1").amount == Decimal("5000.00")
    assert LineItem.objects.count() == 3


BROKEN = (
    HEADER
    + "B1,owner,ACME,GTX Pro,won,2017-01-02,2017-02-30,100\n"  # row 2: no 30 February
    + "B2,owner,ACME,GTX Pro,won,2017-01-02,2017-03-01,-5\n"  # row 3: negative value
    + "B3,outsider,ACME,GTX Pro,2,2017-01-02,,\n"  # row 4: owner outside the team
    + "B4,owner,ACME,GTX Pro,1,,,\n"  # row 5: fine
    + "B4,owner,ACME,GTX Pro,1,,,\n"  # row 6: duplicate id
    + "B6,owner,Nowhere,GTXPro,Engaging,,,\n"  # row 7: unknown account, product, stage
    + "B7,owner,ACME,GTX Pro,won,2017-03-01,2017-01-01,10\n"  # row 8: closed before engaged
    + "B8,nobody,ACME,GTX Pro,won,,,10\n"  # row 9: unknown owner, won without a date
).encode()


def test_broken_rows_are_rejected_with_their_row_number_and_reason(personas, catalogue):
    report = run(personas.manager, "opportunities", BROKEN, commit=True)
    errors = {item["row"]: item["errors"] for item in report.rejected}
    assert errors == {
        2: [["closed on", "“2017-02-30” is not a date: write YYYY-MM-DD."]],
        3: [["amount", "“-5” is negative."]],
        4: [
            [
                "owner (username, email or full name)",
                "Unknown user “outsider” (or not in your teams).",
            ]
        ],
        6: [["external id", "The id “B4” is also on row 5."]],
        7: [
            [
                "stage",
                "“Engaging” is not a stage: use 1–5 (an open deal's move), won, lost or abandoned.",
            ],
            ["account (id or name)", "Unknown account “Nowhere” (or not one you can see)."],
            [
                "product",
                "Unknown product “GTXPro”: add it to the catalogue, "
                "or map the value to one of ours.",
            ],
        ],
        8: [["closed on", "The deal closed before it was engaged: check the dates."]],
        9: [
            [
                "owner (username, email or full name)",
                "Unknown user “nobody” (or not in your teams).",
            ],
        ],
    }
    assert report.created == 1  # only B4's first row is good
    assert not report.applied
    assert not Opportunity.objects.exists()  # a rejected row stops the whole file…


def test_skipping_the_rejected_rows_is_an_explicit_choice(personas, catalogue):
    report = run(personas.manager, "opportunities", BROKEN, commit=True, skip_rejected=True)
    assert report.applied
    assert list(Opportunity.objects.values_list("external_id", flat=True)) == ["B4"]


def test_a_value_mapping_resolves_the_unknown_references(personas, catalogue):
    values = {
        "product": {"GTXPro": "GTX Pro"},
        "stage": {"Engaging": "2"},
        "account": {"Nowhere": "ACME"},
    }
    content = (HEADER + "M1,owner,Nowhere,GTXPro,Engaging,,,\n").encode()
    report = run(personas.manager, "opportunities", content, values=values, commit=True)
    assert report.rejected == []
    deal = Opportunity.objects.get()
    assert (deal.move, deal.account.external_id) == (2, "ACME")


def test_the_rejected_rows_download_as_a_file_to_fix(personas, catalogue):
    report = run(personas.manager, "opportunities", BROKEN)
    text = importing.rejected_csv(report.as_dict())
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == HEADER.strip() + ",error_row,error_reason"
    assert lines[1].startswith("B1,owner,ACME,GTX Pro,won,2017-01-02,2017-02-30,100,2,")
    assert len(lines) == 1 + len(report.rejected)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\n\n  \n", "The file is empty."),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "This is not a CSV or XLSX file"),
        (b"PK\x03\x04not really a zip", "This is not a CSV or XLSX file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Old Excel files (.xls)"),
        ("name,owner\nCafé Müller,x\n".encode("cp1252"), "neither UTF-8 nor GB18030"),
        (b"a,a\n1,2\n", "The column “a” appears twice"),
    ],
)
def test_a_file_that_cannot_be_read_says_why(content, message):
    with pytest.raises(reading.SourceError) as error:
        reading.read_table(content, "x.csv")
    assert message in error.value.message


def test_a_header_without_rows_and_a_file_without_our_columns_write_nothing(personas):
    assert run(personas.manager, "accounts", b"external_id,name\n").fatal == (
        "The file has column names but no rows."
    )
    report = run(personas.manager, "accounts", b"<html><body>hello</body></html>\n")
    assert report.fatal.startswith("No column is chosen for:")
    assert not Account.objects.exists()


def test_gbk_csv_from_a_chinese_excel_and_xlsx_files_are_read(personas):
    gbk = "external_id,name,industry\nA1,江南银行,金融\n".encode("gb18030")
    report = run(personas.manager, "accounts", gbk, commit=True)
    assert report.encoding == "GB18030"
    assert Account.objects.get(external_id="A1").name == "江南银行"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["external_id", "name", "employees"])
    sheet.append(["A2", "Beta", 120])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(personas.manager, "accounts", buffer.getvalue(), commit=True, name="a.xlsx")
    assert (report.encoding, report.created) == ("XLSX", 1)
    assert Account.objects.get(external_id="A2").employees == 120


def test_accounts_take_a_parent_from_the_same_file_and_the_importer_as_default_owner(personas):
    content = b"external_id,name,parent,owner\nP,Parent Co,,\nC,Child Co,Parent Co,owner\n"
    report = run(personas.manager, "accounts", content, commit=True)
    assert report.rejected == []
    child = Account.objects.get(external_id="C")
    assert child.parent.external_id == "P"
    assert child.owner == personas.owner
    assert Account.objects.get(external_id="P").owner == personas.manager


def test_an_id_of_a_record_the_importer_cannot_see_is_refused(personas):
    AccountFactory(owner=personas.outsider, external_id="SECRET", name="Theirs")
    content = b"external_id,name\nSECRET,Mine now\n"
    report = run(personas.manager, "accounts", content, commit=True)
    assert report.rejected[0]["errors"] == [
        ["external id", "The id “SECRET” belongs to an account you cannot see."]
    ]
    assert Account.objects.get(external_id="SECRET").name == "Theirs"


def test_contacts_import_onto_visible_accounts_only(personas):
    AccountFactory(owner=personas.owner, external_id="ACME", name="Acme")
    AccountFactory(owner=personas.outsider, external_id="OTHER", name="Other")
    content = (
        "external_id,account,name,level,function\n"
        "C1,ACME,王总,decision,使用部门\n"
        "C2,OTHER,Spy,operational,user\n"
        "C3,ACME,Bad level,boss,user\n"
    ).encode()
    report = run(personas.manager, "contacts", content, commit=True, skip_rejected=True)
    assert [item["row"] for item in report.rejected] == [3, 4]
    contact = Contact.objects.get()
    assert (contact.name, contact.level, contact.function) == ("王总", "decision", "user")


def test_users_and_teams_import(personas):
    content = (
        "username,first_name,last_name,email,team,role\n"
        "li.lei,Lei,Li,li@example.com,East · Han,rep\n"
        "han.meimei,Meimei,Han,,East · Han,manager\n"
        "bad name!,x,y,not-an-email,East · Han,chief\n"
    ).encode()
    report = run(personas.admin, "users", content, commit=True, skip_rejected=True)
    assert [item["row"] for item in report.rejected] == [4]
    assert len(report.rejected[0]["errors"]) == 3
    lei = User.objects.get(username="li.lei")
    assert not lei.has_usable_password()
    assert lei.memberships.get().team.name == "East · Han"
    assert User.objects.get(username="han.meimei").memberships.get().role == "manager"


def test_only_admins_import_users_and_products(personas):
    assert transfer.may_import(personas.manager)
    assert not transfer.may_import(personas.owner)
    assert [k for k, _label in transfer.kinds_for(personas.manager)] == [
        "accounts",
        "contacts",
        "opportunities",
    ]
    assert len(transfer.kinds_for(personas.admin)) == 5


def test_an_import_by_a_staff_admin_never_changes_a_superuser(personas):
    """An admin by permission (not a superuser) may import users, but not deactivate or
    re-address a superuser: the row is refused at its username."""
    from django.contrib.auth.models import Permission

    staff = User.objects.create(username="ops", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="see_every_team"))
    staff = User.objects.get(pk=staff.pk)
    content = (
        "username,first_name,last_name,email,is_active\n"
        f"{personas.admin.username},Evil,Twin,evil@example.com,0\n"
        "new.rep,New,Rep,new@example.com,1\n"
    ).encode()
    report = run(staff, "users", content, commit=True, skip_rejected=True)
    assert [item["row"] for item in report.rejected] == [2]
    assert "superuser" in str(report.rejected[0]["errors"])
    admin = User.objects.get(pk=personas.admin.pk)
    assert (admin.is_active, admin.email) == (True, personas.admin.email)
    assert User.objects.filter(username="new.rep").exists()
