"""Many rows at once: a manager ticks two stale deals on the opportunity list and closes them
as abandoned with one reason, after a preview that names what will change (issue 20); a manager
hands a leaving rep's accounts to another rep, who finds the introductions planned (issue 21)."""

from playwright.sync_api import expect

from accounts.models import Account, Contact
from opportunities.models import MoveChange, Opportunity, Status
from tests.e2e.steps import wait_for_path


def test_a_manager_closes_two_stale_deals_as_abandoned(open_page):
    page = open_page("manager", language="en")
    page.goto(f"{page.base}/opportunities/?status=open&sort=close")
    boxes = page.locator("input[name=id][form=bulk]")
    chosen = [int(boxes.nth(i).get_attribute("value")) for i in (0, 1)]
    boxes.nth(0).check()
    boxes.nth(1).check()
    expect(page.locator("[data-bulk-count]")).to_have_text("2")
    page.locator("#bulk button[value=abandon]").click()
    wait_for_path(page, r"/bulk/opportunities/$")
    expect(page.locator("main")).to_contain_text("2 opportunities will change.")

    page.locator("textarea[name=reason]").fill("No budget until next year")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main .alert")).to_contain_text("Done: 2 opportunities.")

    for deal in Opportunity.objects.filter(pk__in=chosen):
        assert deal.status == Status.ABANDONED
        assert deal.lost_reason == "No budget until next year"
    assert (
        MoveChange.objects.filter(opportunity__in=chosen, to_status=Status.ABANDONED).count() == 2
    )


def test_a_manager_hands_a_leaving_reps_accounts_over(open_page):
    from crm.models import User
    from relationships.models import Stage

    leaving, successor = User.objects.get(username="rep"), User.objects.get(username="rep2")
    trusted = Contact.objects.filter(
        account__owner=leaving, relationship__stage__gt=Stage.ACQUAINTANCE
    ).count()
    assert trusted  # the demo's rep has built trust somewhere
    page = open_page("manager", language="zh-hans")
    page.goto(f"{page.base}/accounts/")
    page.locator("main a[href='/bulk/handover/']").click()
    page.select_option("select[name=old_owner]", str(leaving.pk))
    page.locator("form.handover-choose button[type=submit]").click()
    page.select_option("select[name=new_owner]", str(successor.pk))
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator(".handover-restarts li")).to_have_count(trusted)
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_be_visible()
    assert not Account.objects.filter(owner=leaving).exists()

    page = open_page("rep2", language="zh-hans")
    page.goto(f"{page.base}/relationships/plans/?scope=all")
    expect(page.locator("main .plan-item", has_text="交接引荐")).to_have_count(trusted)
