"""Imports keep the forms' rules: an account's owner changes only as the account form allows,
and an imported deal's account is never emptied nor changed under its buying group. A
refused row writes nothing."""

import pytest
from django.utils import translation

from accounts.models import Account
from opportunities.models import Opportunity
from tests.factories import AccountFactory
from tests.opportunities.factories import OpportunityFactory, StakeholderFactory
from tests.opportunities.test_import_files import run

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


REFUSED = "Only the owner or their manager can change this."


def errors(report):
    return [(item["row"], item["errors"]) for item in report.rejected]


@pytest.mark.parametrize(
    ("header", "line"),
    [("external_id,name", "A1,Renamed"), ("external_id,name,owner", "A1,Renamed,")],
)
def test_an_update_without_an_owner_keeps_the_owner(personas, header, line):
    AccountFactory(owner=personas.owner, external_id="A1", name="Acme")
    report = run(personas.manager, "accounts", f"{header}\n{line}\n".encode(), commit=True)
    assert report.rejected == []
    account = Account.objects.get(external_id="A1")
    assert (account.name, account.owner) == ("Renamed", personas.owner)


def test_a_new_account_without_an_owner_is_the_importers(personas):
    run(personas.owner, "accounts", b"external_id,name,owner\nN1,New,\n", commit=True)
    assert Account.objects.get(external_id="N1").owner == personas.owner


@pytest.mark.parametrize(
    ("importer", "owner", "new_owner", "refused"),
    [
        ("manager", "owner", "teammate", False),  # a manager hands over in their team
        ("owner", "owner", "owner", False),  # unchanged
        ("admin", "outsider", "owner", False),
        ("owner", "outsider", "owner", True),  # only shared with the importer
        ("manager", "outsider", "manager", True),  # another team's account, shared
        ("owner", "outsider", "outsider", False),  # naming the current owner changes nothing
    ],
)
def test_an_owner_column_follows_the_account_forms_rule(
    personas, importer, owner, new_owner, refused
):
    account = AccountFactory(owner=getattr(personas, owner), external_id="S1", name="Shared")
    account.collaborators.add(personas.owner, personas.manager)
    content = f"external_id,name,owner\nS1,Shared,{new_owner}\n".encode()
    report = run(getattr(personas, importer), "accounts", content, commit=True)
    account.refresh_from_db()
    if refused:
        assert errors(report) == [(2, [["owner (username, email or full name)", REFUSED]])]
        assert account.owner == getattr(personas, owner)
        assert not report.applied
    else:
        assert report.rejected == []
        assert account.owner == getattr(personas, new_owner)


def test_a_refused_owner_leaves_the_whole_file_unwritten(personas):
    shared = AccountFactory(owner=personas.outsider, external_id="S1", name="Shared")
    shared.collaborators.add(personas.owner)
    content = b"external_id,name,owner\nN1,New,owner\nS1,Shared,owner\n"
    report = run(personas.owner, "accounts", content, commit=True)
    assert [row for row, _e in errors(report)] == [3]
    assert not Account.objects.filter(external_id="N1").exists()


DEALS = "external_id,owner,account,stage\n"


@pytest.fixture
def deal(personas):
    account = AccountFactory(owner=personas.owner, external_id="ACME", name="Acme")
    AccountFactory(owner=personas.owner, external_id="BETA", name="Beta")
    return OpportunityFactory(account=account, external_id="D1")


def test_an_import_never_empties_a_deals_account(personas, deal):
    report = run(personas.manager, "opportunities", f"{DEALS}D1,owner,,2\n".encode(), commit=True)
    assert errors(report) == [
        (
            2,
            [
                [
                    "account (id or name)",
                    "This opportunity has an account: give it (id or name); an import does "
                    "not remove it.",
                ]
            ],
        )
    ]
    assert Opportunity.objects.get(pk=deal.pk).account_id == deal.account_id


def test_an_import_moves_a_deal_to_another_account_only_without_a_buying_group(personas, deal):
    content = f"{DEALS}D1,owner,BETA,1\n".encode()  # its own move: only the account changes
    StakeholderFactory(opportunity=deal)
    report = run(personas.manager, "opportunities", content, commit=True)
    assert errors(report)[0][1][0][1].startswith("The buying group belongs to the current account")
    assert Opportunity.objects.get(pk=deal.pk).account.external_id == "ACME"
    deal.stakeholders.all().delete()
    report = run(personas.manager, "opportunities", content, commit=True)
    assert report.rejected == []
    assert Opportunity.objects.get(pk=deal.pk).account.external_id == "BETA"


def test_a_new_deal_without_an_account_is_still_kept(personas, deal):
    report = run(personas.manager, "opportunities", f"{DEALS}D9,owner,,1\n".encode(), commit=True)
    assert (report.rejected, report.created) == ([], 1)
