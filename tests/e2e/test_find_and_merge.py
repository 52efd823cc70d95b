"""Finding anyone in a second and keeping the book clean (issue 20): a rep finds a contact by
mobile from the search box ("/" to jump to it); a manager merges two accounts that are one."""

import re

from playwright.sync_api import expect

from accounts.models import Account, Contact, MergedAccount
from tests.e2e.steps import wait_for_path


def test_a_rep_finds_a_contact_by_mobile_from_the_search_box(open_page):
    contact = Contact.objects.filter(account__owner__username="rep").order_by("pk").first()
    contact.mobile = "13912345678"
    contact.save()
    page = open_page("rep", language="zh-hans")

    page.locator("main").click()
    page.keyboard.press("/")
    box = page.locator("#nav-search")
    expect(box).to_be_focused()
    box.press_sequentially("139-1234-5678", delay=20)
    hit = page.locator("#nav-search-results a.search-hit", has_text=contact.name)
    expect(hit).to_be_visible()
    expect(page.locator("#nav-search-results")).to_contain_text("139 1234 5678")
    hit.click()
    wait_for_path(page, rf"/accounts/contacts/{contact.pk}/")
    expect(page.locator("main")).to_contain_text("139 1234 5678")


def test_a_manager_merges_two_accounts(open_page):
    bank = Account.objects.get(name="江南银行")
    copy = Account.objects.create(
        name="江南银行股份有限公司", owner=bank.owner, industry="Banking", phone="0512-1234 5678"
    )
    page = open_page("manager", language="en")

    page.goto(f"{page.base}/accounts/duplicates/")
    expect(page.locator("main")).to_contain_text("江南银行股份有限公司")
    page.locator(f"main a[href='/accounts/{bank.pk}/']").first.click()
    page.locator(f"main a[href='/accounts/{bank.pk}/merge/']").click()
    page.locator(f"main a[href='/accounts/{bank.pk}/merge/{copy.pk}/']").click()
    wait_for_path(page, rf"/accounts/{bank.pk}/merge/{copy.pk}/")
    expect(page.locator("main")).to_contain_text("What moves to the merged record")
    page.locator("#phone-other").check()
    page.locator("main form button[type=submit]").click()
    wait_for_path(page, rf"/accounts/{bank.pk}/$")
    expect(page.locator(".alert-success")).to_contain_text("was merged into")

    assert not Account.objects.filter(pk=copy.pk).exists()
    assert Account.objects.get(pk=bank.pk).phone == "+8651212345678"
    assert MergedAccount.objects.get(old_pk=copy.pk).survivor == bank
    page.goto(f"{page.base}/accounts/{copy.pk}/")
    assert re.search(rf"/accounts/{bank.pk}/$", page.url)
