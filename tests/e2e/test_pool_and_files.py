"""A rep claims a neglected account from the team's shared pool (公海) and attaches the signed
contract to it; the download keeps the Chinese file name (issue 21)."""

from playwright.sync_api import expect

from accounts.models import Account
from files.models import Version
from pool.models import PooledAccount, PoolMove
from tests.e2e.steps import wait_for_path

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_rep_claims_from_the_pool_and_attaches_the_contract(open_page):
    pooled = Account.objects.get(name="太湖物流有限公司")
    page = open_page("rep", language="en")

    page.goto(f"{page.base}/accounts/")
    page.locator("main a[href='/pool/']").click()
    wait_for_path(page, r"/pool/$")
    row = page.locator(".pool-rows li", has_text="太湖物流有限公司")
    expect(row).to_contain_text("was Tom Chen 陈涛's")
    row.locator("button[type=submit]", has_text="Claim").click()
    wait_for_path(page, rf"/accounts/{pooled.pk}/$")
    expect(page.locator(".alert-success")).to_contain_text("is yours now")
    assert Account.objects.get(pk=pooled.pk).owner.username == "rep"
    assert not PooledAccount.objects.filter(pk=pooled.pk).exists()
    assert PoolMove.objects.filter(account=pooled, kind="claimed").exists()

    panel = page.locator(f"#files-account-{pooled.pk}")
    expect(panel).to_be_visible()
    panel.locator(".file-upload-form input[type=file]").set_input_files(
        {"name": "太湖物流 合同.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    panel.locator(".file-upload-form button[type=submit]").click()
    expect(panel.locator(".alert-success")).to_contain_text("attached (version 1)")
    link = panel.locator(".file-row a.fw-semibold")
    expect(link).to_have_text("太湖物流 合同")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "太湖物流 合同.pdf"
    assert Version.objects.get().document.record == Account.objects.get(pk=pooled.pk)
