"""One path to won, in Chinese: the rep tries to mark a move-1 deal won on the outcome page and
sees which exit checks stand in the way; the manager overrides them with a written reason, and
the history records the override with the checks it overrode."""

from playwright.sync_api import expect

from opportunities.models import MoveChange, Opportunity, Status
from tests.e2e.steps import wait_for_path

STUCK = "变电站巡检 MES Substation inspection MES"  # demo: move 1, owned by rep
REASON = "合同已在展会上签署，纸质版随后补录。Signed at the fair; paper copy follows."


def _mark_won(page, deal, *, reason=None):
    page.goto(f"{page.base}/opportunities/{deal.pk}/")
    page.click(f"main a[href='/opportunities/{deal.pk}/outcome/']")
    wait_for_path(page, rf"/opportunities/{deal.pk}/outcome/")
    page.locator("#id_status").select_option("won")
    if reason is not None:
        page.locator("#id_override").check()
        page.locator("#id_reason").fill(reason)
    page.locator("main form[method=post] button.btn-primary[type=submit]").click()


def test_a_rep_is_refused_an_early_won_and_the_manager_overrides(open_page):
    deal = Opportunity.objects.get(name=STUCK)
    assert (deal.owner.username, deal.move, deal.status) == ("rep", 1, Status.OPEN)

    rep = open_page("rep", language="zh-hans")
    _mark_won(rep, deal)
    refusal = rep.locator(".opp-refusal")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("退出检查")
    expect(refusal.locator("li").first).to_be_visible()
    expect(rep.locator("#id_override")).to_have_count(0)  # a rep is offered no override
    assert Opportunity.objects.get(pk=deal.pk).status == Status.OPEN

    manager = open_page("manager", language="zh-hans")
    _mark_won(manager, deal, reason=REASON)
    wait_for_path(manager, rf"/opportunities/{deal.pk}/$")
    deal.refresh_from_db()
    assert (deal.status, deal.move) == (Status.WON, 6)
    change = MoveChange.objects.filter(opportunity=deal).latest("changed_at", "pk")
    assert (change.is_override, change.reason, change.changed_by.username) == (
        True,
        REASON,
        "manager",
    )
    assert change.overridden_checks
