"""Files on records through the pages (issue 21): attach, a new version, download with the
name kept (Chinese too), refusals at the field with nothing written, the policy on every URL,
deleting and an admin's restore, the purge, the timeline, a merge, and the panel's queries."""

import datetime as dt
import io
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts import merging
from files import services
from files.models import STORAGE, Document, Version
from opportunities.deals import timeline
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (20, 120, 60)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def account(personas):
    return AccountFactory(owner=personas.owner, name="江南银行")


def attach(client, kind, pk, data=PDF, name="方案建议书.pdf", **extra):
    url = reverse("files:panel", args=[kind, pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data), **extra}, **EN)


def stored_files() -> list[str]:
    found = []

    def walk(folder):
        folders, names = STORAGE.listdir(folder)
        found.extend(f"{folder}/{name}".lstrip("/") for name in names)
        for sub in folders:
            walk(f"{folder}/{sub}".lstrip("/"))

    if STORAGE.exists(""):
        walk("")
    return found


def test_a_rep_attaches_a_proposal_and_downloads_it_with_its_chinese_name(
    personas, account, client_for
):
    client = client_for(personas.owner)
    response = attach(client, "account", account.pk)
    assert response.status_code == 302
    version = Version.objects.get()
    assert (version.document.record, version.document.title) == (account, "方案建议书")
    assert (version.number, version.name, version.mime_type) == (
        1,
        "方案建议书.pdf",
        "application/pdf",
    )
    assert "方案" not in version.file.name  # the stored name is random, not the user's
    download = client.get(reverse("files:download", args=[version.pk]))
    assert b"".join(download.streaming_content) == PDF
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('方案建议书.pdf')}" in disposition
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


def test_a_new_version_joins_its_document(personas, account, client_for):
    client = client_for(personas.owner)
    attach(client, "account", account.pk)
    document = Document.objects.get()
    attach(client, "account", account.pk, name="方案建议书 v2.pdf", document=document.pk)
    assert list(document.versions.values_list("number", "name")) == [
        (1, "方案建议书.pdf"),
        (2, "方案建议书 v2.pdf"),
    ]
    panel = client.get(reverse("files:panel", args=["account", account.pk]), **EN)
    text = panel.content.decode()
    assert "v2" in text and "1 earlier version" in text


def test_a_refused_file_is_named_at_the_field_and_nothing_is_written(personas, account, client_for):
    before = stored_files()
    response = attach(client_for(personas.owner), "account", account.pk, EXE, "合同.pdf")
    assert response.status_code == 400
    assert "This kind of file is not accepted" in response.content.decode()
    assert not Document.objects.exists() and stored_files() == before


def test_an_htmx_upload_answers_with_the_panel(personas, account, client_for):
    url = reverse("files:panel", args=["account", account.pk])
    response = client_for(personas.owner).post(
        url, {"file": SimpleUploadedFile("照片.png", png())}, HTTP_HX_REQUEST="true", **EN
    )
    text = response.content.decode()
    assert response.status_code == 200 and "attached (version 1)" in text
    version = Version.objects.get()
    assert reverse("files:thumbnail", args=[version.pk]) in text
    thumb = client_for(personas.owner).get(reverse("files:thumbnail", args=[version.pk]))
    assert thumb["Content-Type"] == "image/png"


@pytest.mark.parametrize("kind", ["account", "contact", "deal"])
def test_an_outsider_reaches_no_file_of_a_record_outside_reach(personas, account, client_for, kind):
    record = {
        "account": account,
        "contact": ContactFactory(account=account),
        "deal": OpportunityFactory(account=account, owner=personas.owner),
    }[kind]
    attach(client_for(personas.owner), kind, record.pk)
    version = Version.objects.get()
    outsider = client_for(personas.outsider)
    assert outsider.get(reverse("files:panel", args=[kind, record.pk])).status_code == 404
    assert attach(outsider, kind, record.pk).status_code == 404
    assert outsider.get(reverse("files:download", args=[version.pk])).status_code == 404
    url = reverse("files:delete", args=[version.document_id])
    assert outsider.post(url).status_code == 404
    assert Version.objects.count() == 1


def test_deleting_hides_until_an_admin_restores_and_the_purge_removes_the_bytes(
    personas, account, client_for
):
    owner = client_for(personas.owner)
    attach(owner, "account", account.pk)
    version = Version.objects.get()
    assert owner.post(reverse("files:delete", args=[version.document_id])).status_code == 302
    assert owner.get(reverse("files:download", args=[version.pk])).status_code == 404
    assert services.restore(Document.objects.all()) == 1
    assert owner.get(reverse("files:download", args=[version.pk])).status_code == 200
    services.delete(version.document, by=personas.owner, now=timezone.now())
    assert services.purge(timezone.now() + dt.timedelta(days=29)) == 0
    assert STORAGE.exists(version.file.name)
    assert services.purge(timezone.now() + dt.timedelta(days=31)) == 1
    assert not STORAGE.exists(version.file.name) and not Document.objects.exists()


def test_only_the_uploader_or_their_manager_deletes(personas, account, client_for):
    account.collaborators.add(personas.teammate)
    attach(client_for(personas.owner), "account", account.pk)
    document = Document.objects.get()
    url = reverse("files:delete", args=[document.pk])
    assert client_for(personas.teammate).post(url).status_code == 404
    assert client_for(personas.manager).post(url).status_code == 302
    assert Document.objects.get().deleted_at is not None


def test_a_files_upload_shows_on_the_deal_and_account_timeline(personas, account, client_for):
    deal = OpportunityFactory(account=account, owner=personas.owner)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5), tick=False):
        attach(client_for(personas.owner), "deal", deal.pk, name="合同.pdf")
    for record in (deal, account):
        entries, _more = timeline.timeline(record, kind="file")
        assert [entry.lines for entry in entries] == [["合同.pdf"]]


def test_a_merge_moves_the_files_to_the_survivor(personas, account, client_for):
    copy = AccountFactory(owner=personas.owner, name="江南银行股份有限公司")
    attach(client_for(personas.owner), "account", copy.pk)
    merging.merge(account, copy, take=set(), user=personas.owner)
    assert Document.objects.get().record == account


@pytest.mark.parametrize("size", [2, 8])
def test_the_panel_costs_the_same_queries_at_two_sizes(
    personas, account, client_for, django_assert_num_queries, size
):
    client = client_for(personas.owner)
    for i in range(size):
        attach(client, "account", account.pk, name=f"文件{i}.pdf")
        attach(
            client,
            "account",
            account.pk,
            name=f"文件{i} v2.pdf",
            document=Document.objects.latest("pk").pk,
        )
    url = reverse("files:panel", args=["account", account.pk])
    # session, user, the account; the documents (with who may delete), their versions, uploaders
    with django_assert_num_queries(6):
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
