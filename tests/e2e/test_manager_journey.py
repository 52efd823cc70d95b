"""The manager's journey, in Chinese: review the team's pipeline (funnel and per-rep table),
open a deal of `rep` that is stuck at the move-1 gate and override the gate with a written
reason, then approve the pending gift on the approvals page (the demo has one)."""

from playwright.sync_api import expect

from crm.models import User
from opportunities.models import MoveChange, Opportunity, Status
from relationships.models import Activity
from tests.e2e.steps import LABELS, wait_for_path

STUCK = "变电站巡检 MES Substation inspection MES"  # demo: move 1, budget unknown
REASON = "预算在年度计划里，客户口头确认；我已与钱总核实。Budget is in the annual plan."


def test_manager_reviews_pipeline_overrides_a_gate_and_approves_a_gift(open_page):
    words = LABELS["zh-hans"]
    manager, rep, rival = (User.objects.get(username=n) for n in ("manager", "rep", "rival"))
    team_open = Opportunity.objects.filter(
        status=Status.OPEN, owner__username__in=("manager", "rep", "rep2")
    )
    page = open_page("manager", language="zh-hans")

    # --- The pipeline: funnel by move and the per-rep table of the manager's team ----------
    page.click("#main-nav a.nav-link[href='/opportunities/pipeline/']")
    wait_for_path(page, r"/opportunities/pipeline/")
    funnel = page.locator("section[aria-labelledby=funnel-title]")
    expect(funnel).to_contain_text(words["funnel"])
    expect(funnel.locator("canvas[data-chart=funnel]")).to_be_visible()
    total = funnel.locator("tfoot td.text-end").first
    expect(total).to_have_text(str(team_open.count()))
    move_one = funnel.locator("tbody a[href='/opportunities/?move=1&status=open']")
    expect(move_one.locator("xpath=../following-sibling::td[1]")).to_have_text(
        str(team_open.filter(move=1).count())
    )
    reps = page.locator("section[aria-labelledby=reps-title]")
    expect(reps).to_contain_text(words["reps"])
    expect(reps.locator("tbody th", has_text=str(rep))).to_have_count(1)
    expect(reps.locator("tbody th", has_text=str(rival))).to_have_count(0)  # another team

    # --- A deal stuck at the move-1 gate: from the funnel to the deal -----------------------
    move_one.click()
    wait_for_path(page, r"/opportunities/\?move=1&status=open")
    deal = Opportunity.objects.get(name=STUCK)
    assert (deal.owner, deal.move, deal.qualification_verdict) == (rep, 1, "needs_work")
    page.click(f"main table a[href='/opportunities/{deal.pk}/']")
    wait_for_path(page, rf"/opportunities/{deal.pk}/")
    gate = page.locator("#gate-panel")
    expect(gate.locator("#gate-title")).to_contain_text("客户分析")
    expect(gate.locator(".opp-check-unmet").first).to_be_visible()

    # An override without a reason is refused in place (htmx swaps the gate panel).
    gate.locator("#id_to_move").select_option("2")
    gate.locator("#id_override").check()
    gate.locator("button[type=submit]").click()
    expect(page.locator("#gate-panel #id_reason.is-invalid")).to_be_visible()
    expect(page.locator("#gate-panel .invalid-feedback")).not_to_be_empty()
    assert Opportunity.objects.get(pk=deal.pk).move == 1

    # With the written reason the manager moves the deal on.
    gate = page.locator("#gate-panel")
    expect(gate.locator("#id_override")).to_be_checked()
    gate.locator("#id_reason").fill(REASON)
    gate.locator("button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_contain_text(words["moved"])
    expect(page.locator("#gate-title")).to_contain_text("建立信任")
    override_row = page.locator("#history tbody tr").filter(has_text=words["override"])
    expect(override_row).to_have_count(1)
    expect(override_row).to_contain_text(REASON)
    expect(override_row).to_contain_text("1 → 2")
    expect(override_row.locator("details summary")).to_be_visible()
    deal.refresh_from_db()
    assert deal.move == 2
    change = MoveChange.objects.filter(opportunity=deal).latest("changed_at")
    assert (change.from_move, change.to_move, change.is_override) == (1, 2, True)
    assert (change.changed_by, change.reason) == (manager, REASON)
    assert change.overridden_checks  # the unmet checks at the time are kept

    # --- The pending gift: Relationships › Activities › Gift approvals ----------------------
    gift = Activity.objects.get(approval_status=Activity.Approval.PENDING)
    assert gift.owner == rep
    page.click("#main-nav .dropdown-toggle:has(.bi-people)")
    page.click("#main-nav a.dropdown-item[href='/relationships/activities/']")
    wait_for_path(page, r"/relationships/activities/")
    page.click("main a[href='/relationships/approvals/']")
    wait_for_path(page, r"/relationships/approvals/")
    expect(page.locator("main h1")).to_have_text(words["approvals"])
    row = page.locator(f"#approval-{gift.pk}")
    expect(row).to_contain_text("¥800")
    row.locator(f"#reason-{gift.pk}").fill("节日礼品，符合公司规定。")
    row.locator("button[name=decision][value=approve]").click()
    expect(row.locator("form")).to_have_count(0)  # the row is swapped in place, decided
    expect(row).to_contain_text(words["decided"])
    expect(row).to_contain_text("节日礼品，符合公司规定。")
    gift.refresh_from_db()
    assert gift.approval_status == Activity.Approval.APPROVED
    assert gift.decided_by == manager and gift.decision_reason == "节日礼品，符合公司规定。"
    assert not Activity.objects.filter(approval_status=Activity.Approval.PENDING).exists()
