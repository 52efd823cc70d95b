"""The import pages in the browser (managers and admins), the exports of every list, change
history on the record pages, and a concurrent edit refused through the view."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import PersonalProfile
from imports.models import ImportBatch
from opportunities.models import Opportunity
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory, ProductFactory

pytestmark = pytest.mark.django_db

FILE = (
    b"external_id,owner,account,product,stage\n"
    b"D1,owner,ACME,GTX Pro,2\n"
    b"D2,outsider,ACME,GTX Pro,1\n"
    b"D3,owner,ACME,GTXPro,1\n"
)


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"  # requests without Accept-Language get English
    with translation.override("en"):
        yield


@pytest.fixture
def acme(personas):
    ProductFactory(name="GTX Pro", list_price=Decimal("100"))
    return AccountFactory(owner=personas.owner, name="Acme", external_id="ACME")


def upload(client, kind="opportunities", content=FILE, name="deals.csv"):
    return client.post(
        reverse("opportunities:import"),
        {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")},
        HTTP_ACCEPT_LANGUAGE="en",
    )


# --- who may import ------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("opportunities:import"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_rep_is_told_who_imports_and_gets_no_form(personas, client_for):
    response = client_for(personas.owner).get(reverse("opportunities:import"))
    assert response.status_code == 200
    assert "form" not in response.context
    assert upload(client_for(personas.owner)).status_code == 200
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("who", ["manager", "admin"])
def test_managers_and_admins_upload_and_see_a_dry_run(personas, client_for, acme, who):
    client = client_for(getattr(personas, who))
    response = upload(client)
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:import_batch", args=[batch.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    report = page.context["report"]
    assert (report["total"], report["created"], len(report["rejected"])) == (
        3,
        1 if who == "manager" else 2,
        2 if who == "manager" else 1,
    )
    assert not Opportunity.objects.exists()  # a preview writes nothing
    content = page.content.decode()
    assert "Unknown product “GTXPro”" in content


def test_a_manager_cannot_import_users(personas, client_for):
    response = upload(client_for(personas.manager), kind="users", content=b"username\nx\n")
    assert "kind" in response.context["form"].errors
    assert not ImportBatch.objects.exists()


def test_a_broken_file_is_refused_at_upload_with_the_reason(personas, client_for):
    response = upload(client_for(personas.manager), content=b"", name="empty.csv")
    assert response.context["form"].errors["file"] == ["The submitted file is empty."]
    response = upload(client_for(personas.manager), content=b"\x00\x01\x02", name="x.png")
    assert "not a CSV or XLSX" in response.context["form"].errors["file"][0]


@pytest.mark.parametrize("who", ["teammate", "outsider", "outsider_manager"])
def test_someone_elses_upload_answers_404(personas, client_for, acme, who):
    upload(client_for(personas.manager))
    batch = ImportBatch.objects.get()
    client = client_for(getattr(personas, who))
    for name in ("opportunities:import_batch", "opportunities:import_rejected"):
        assert client.get(reverse(name, args=[batch.pk])).status_code == 404
    assert (
        client.post(
            reverse("opportunities:import_batch", args=[batch.pk]), {"action": "confirm"}
        ).status_code
        == 404
    )


def test_map_a_value_preview_again_then_confirm(
    personas, client_for, acme, django_capture_on_commit_callbacks
):
    client = client_for(personas.manager)
    upload(client)
    batch = ImportBatch.objects.get()
    url = reverse("opportunities:import_batch", args=[batch.pk])
    form = client.get(url).context["mapping_form"]
    data = {name: form[name].value() or "" for name in form.column_names}
    data.update(
        action="preview",
        values="product: GTXPro → GTX Pro\nowner: outsider → owner",
        save_as="Team sheet",
    )
    client.post(url, data)
    batch.refresh_from_db()
    assert batch.values == {"product": {"GTXPro": "GTX Pro"}, "owner": {"outsider": "owner"}}
    assert batch.report["rejected"] == []
    assert batch.mapping.name == "Team sheet"
    with django_capture_on_commit_callbacks(execute=True):  # the worker's job, run here
        response = client.post(url, {"action": "confirm"})
    assert response.status_code == 302
    assert Opportunity.objects.count() == 3
    batch.refresh_from_db()
    assert batch.state == "imported"
    assert client.post(url, {"action": "confirm"}).status_code == 302
    assert Opportunity.objects.count() == 3  # confirming twice imports once


def test_a_bad_value_mapping_is_a_field_error(personas, client_for, acme):
    client = client_for(personas.manager)
    upload(client)
    url = reverse("opportunities:import_batch", args=[ImportBatch.objects.get().pk])
    response = client.post(url, {"action": "preview", "values": "colour: red → blue"})
    assert "none of our fields" in response.context["mapping_form"].errors["values"][0]


def test_confirming_with_rejected_rows_writes_nothing_unless_told_to(
    personas, client_for, acme, django_capture_on_commit_callbacks
):
    client = client_for(personas.manager)
    upload(client)
    batch = ImportBatch.objects.get()
    url = reverse("opportunities:import_batch", args=[batch.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "confirm"})
    assert not Opportunity.objects.exists()
    rejected = client.get(reverse("opportunities:import_rejected", args=[batch.pk]))
    rows = list(csv.reader(io.StringIO(rejected.content.decode("utf-8-sig"))))
    assert [row[-2] for row in rows[1:]] == ["3", "4"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "confirm", "skip_rejected": "on"})
    assert list(Opportunity.objects.values_list("external_id", flat=True)) == ["D1"]


def test_the_import_page_costs_the_same_queries_whatever_the_report_size(
    personas, client_for, acme, django_assert_num_queries
):
    client = client_for(personas.manager)
    small = "\n".join(["external_id,owner,stage", "A,owner,1"]).encode()
    big = "\n".join(["external_id,owner,stage", *(f"X{i},nobody,9" for i in range(500))]).encode()
    pages = []
    for content in (small, big):
        upload(client, content=content)
        pages.append(
            reverse("opportunities:import_batch", args=[ImportBatch.objects.latest("pk").pk])
        )
    for url in pages:
        # session, user, is-manager check, the batch; nothing per row.
        with django_assert_num_queries(4):
            assert client.get(url).status_code == 200


# --- exports -------------------------------------------------------------------------------------


def read(response, fmt):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


@pytest.fixture
def two_teams(personas):
    mine = AccountFactory(owner=personas.owner, name="Mine", status="customer")
    AccountFactory(owner=personas.owner, name="Mine too", status="target")
    theirs = AccountFactory(owner=personas.outsider, name="Theirs", status="customer")
    OpportunityFactory(account=mine, name="My deal")
    OpportunityFactory(account=theirs, name="Their deal")
    contact = ContactFactory(account=mine, name="Zhang")
    PersonalProfile.objects.create(contact=contact, hometown="Suzhou", hobbies="golf")
    ContactFactory(account=theirs, name="Secret")
    return mine


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("what", "column", "owner_sees", "manager_sees"),
    [
        ("accounts", "name", {"Mine", "Mine too"}, {"Mine", "Mine too"}),
        ("contacts", "name", {"Zhang"}, {"Zhang"}),
        ("opportunities", "name", {"My deal"}, {"My deal"}),
    ],
)
def test_an_export_holds_exactly_the_rows_the_user_can_see(
    personas, client_for, two_teams, fmt, what, column, owner_sees, manager_sees
):
    url = reverse("opportunities:export", args=[what, fmt])
    for user, expected in ((personas.owner, owner_sees), (personas.manager, manager_sees)):
        rows = read(client_for(user).get(url), fmt)
        assert {row[column] for row in rows} == expected
    everything = read(client_for(personas.admin).get(url), fmt)
    assert len(everything) > len(owner_sees)


def test_an_export_applies_the_lists_filters(personas, client_for, two_teams):
    url = reverse("opportunities:export", args=["accounts", "csv"]) + "?status=customer&page=2"
    rows = read(client_for(personas.owner).get(url), "csv")
    assert [row["name"] for row in rows] == ["Mine"]
    contacts = reverse("opportunities:export", args=["contacts", "csv"]) + "?status=target"
    assert read(client_for(personas.owner).get(contacts), "csv") == []


def test_the_contact_export_never_holds_personal_data(personas, client_for, two_teams):
    response = client_for(personas.owner).get(
        reverse("opportunities:export", args=["contacts", "csv"])
    )
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Zhang" in body
    assert "Suzhou" not in body and "golf" not in body
    for name in [f.name for f in PersonalProfile._meta.fields if f.name not in ("id", "contact")]:
        assert name not in body.splitlines()[0]


def test_activity_and_receivable_exports_answer(personas, client_for):
    client = client_for(personas.owner)
    for what in ("activities", "receivables"):
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("opportunities:export", args=[what, fmt]))
            assert response.status_code == 200
            assert read(response, fmt) == []


def test_exports_refuse_strangers_and_unknown_lists(personas, client, client_for):
    url = reverse("opportunities:export", args=["accounts", "csv"])
    assert client.get(url).status_code == 302
    assert (
        client_for(personas.owner)
        .get(reverse("opportunities:export", args=["users", "csv"]))
        .status_code
        == 404
    )
    assert (
        client_for(personas.owner)
        .get(reverse("opportunities:export", args=["accounts", "pdf"]))
        .status_code
        == 404
    )


@pytest.mark.parametrize("size", [3, 30])
def test_the_opportunity_export_costs_the_same_queries_at_any_size(
    personas, client_for, django_assert_num_queries, size
):
    account = AccountFactory(owner=personas.owner)
    for _ in range(size):
        OpportunityFactory(account=account)
    client = client_for(personas.owner)
    url = reverse("opportunities:export", args=["opportunities", "csv"])
    # session, user, move probabilities, the deals' ids in order, then per chunk of ids
    # (crm.exporting.CHUNK_SIZE, one here) their values and their line items.
    with django_assert_num_queries(6):
        response = client.get(url)
        rows = read(response, "csv")
    assert len(rows) == size
