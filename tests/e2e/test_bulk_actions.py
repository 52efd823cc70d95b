"""Many rows at once (issue 20): a manager ticks two stale deals on the opportunity list and
closes them as abandoned with one reason, after a preview that names what will change."""

from playwright.sync_api import expect

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
