"""An account import says which new rows look like an account that exists already (or like an
earlier row of the same file), by the rule of the account form's duplicate warning."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Account
from imports import views
from imports.models import ImportBatch
from tests.factories import AccountFactory
from tests.opportunities.test_import_files import run
from tests.opportunities.test_views_transfer import upload

pytestmark = pytest.mark.django_db

HEADER = "external_id,name,owner\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def warnings_of(user, rows: str):
    report = run(user, "accounts", (HEADER + rows).encode())
    return {w["row"]: w["message"] for w in report.warnings}


@pytest.mark.parametrize(
    ("name", "warned"),
    [
        ("江南银行股份有限公司", True),  # the legal form set aside
        ("江南银行（集团）", False),  # 集团 is part of the name, not a legal form
        (" 江南 银行 ", True),  # spaces
        ("江南银行", True),  # the same name under a new id
        ("江北银行", False),
    ],
)
def test_a_new_account_like_an_existing_one_is_warned_of(personas, name, warned):
    AccountFactory(owner=personas.owner, name="江南银行有限公司", external_id="JN-1")
    found = warnings_of(personas.owner, f"N-1,{name},\n")
    assert (2 in found) is warned
    if warned:
        assert "江南银行有限公司" in found[2] and "JN-1" in found[2]


def test_updating_the_existing_account_itself_is_not_a_duplicate(personas):
    AccountFactory(owner=personas.owner, name="江南银行有限公司", external_id="JN-1")
    assert warnings_of(personas.owner, "JN-1,江南银行股份有限公司,\n") == {}


def test_two_new_rows_of_one_company_in_a_file(personas):
    found = warnings_of(personas.owner, "N-1,Acme Ltd.,\nN-2,ACME,\nN-3,Other,\n")
    assert list(found) == [3]
    assert "Acme Ltd." in found[3]


def test_an_account_the_importer_cannot_see_is_never_named(personas):
    AccountFactory(owner=personas.outsider, name="江南银行有限公司", external_id="JN-1")
    assert warnings_of(personas.owner, "N-1,江南银行,\n") == {}


def test_a_warned_row_is_still_imported(personas):
    AccountFactory(owner=personas.owner, name="江南银行有限公司", external_id="JN-1")
    report = run(personas.owner, "accounts", (HEADER + "N-1,江南银行,\n").encode(), commit=True)
    assert report.applied and report.warnings
    assert Account.objects.filter(external_id="N-1").exists()


def test_the_preview_shows_a_bounded_number_of_remarks(personas, client_for):
    total = views.SHOWN_WARNING_GROUPS + 7
    for i in range(total):
        AccountFactory(owner=personas.manager, name=f"公司{i}", external_id=f"E{i}")
    rows = "".join(f"N{i},公司{i}有限公司,\n" for i in range(total))
    client = client_for(personas.manager)
    upload(client, kind="accounts", content=(HEADER + rows).encode(), name="a.csv")
    batch = ImportBatch.objects.get()
    response = client.get(reverse("opportunities:import_batch", args=[batch.pk]))
    text = response.content.decode()
    assert text.count("Looks like the existing account") == views.SHOWN_WARNING_GROUPS
    with translation.override(response.headers["Content-Language"]):  # the user's language
        more = translation.ngettext(
            "And %(counter)s more row with a remark.", "And %(counter)s more rows with a remark.", 7
        ) % {"counter": 7}
    assert more in text
