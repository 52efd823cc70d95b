"""The rep's journey through moves 1 and 2 in a real browser, in English and in Chinese: create
an account, fill the four dossier categories (htmx inline forms), add contacts and the org
structure, create an opportunity, qualify it, build its buying group, log an activity that
advances a relationship, pass the move-1 gate and find the deal on the home page ("my day")."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Account, Contact, Level
from opportunities.models import MoveChange, Opportunity, Product
from relationships.models import Activity, ActivityType, Relationship, Stage
from tests.e2e.steps import (
    LABELS,
    completeness,
    main_text,
    open_inline_part,
    save_inline_part,
    snap,
    submit_full_page_form,
    wait_for_path,
)

ACCOUNT = "旅程银行 Journey Bank"
BOSS, GUIDE = "钱行长", "孙工"
DEAL = "核心系统升级 Core banking upgrade"


def create_account(page, name):
    page.click("#main-nav a.nav-link[href='/accounts/']")
    page.click("main a.btn-primary[href='/accounts/new/']")
    page.fill("#id_name", name)
    page.select_option("#id_status", "target")
    page.fill("#id_industry", "银行 Banking")
    page.fill("#id_region", "华东 East China")
    page.fill("#id_address", "上海市浦东新区世纪大道 100 号")
    page.fill("#id_phone", "021-6000 8000")
    page.fill("#id_business_scope", "零售与对公银行业务 Retail and corporate banking")
    page.fill("#id_revenue", "5000000000")
    page.fill("#id_employees", "8000")
    page.fill("#id_year_established", "1998")
    submit_full_page_form(page)
    match = wait_for_path(page, r"/accounts/(\d+)/")
    account = Account.objects.get(name=name)
    assert int(match.group(1)) == account.pk
    return account


def add_contact(page, account, name, *, title, level, function, guide=False):
    """From the account page: "Add contact", then back to the account page."""
    page.click(f"#section-organisation a[href='/accounts/{account.pk}/contacts/new/']")
    page.fill("#id_name", name)
    page.fill("#id_title", title)
    page.select_option("#id_level", level)
    page.select_option("#id_function", function)
    if guide:
        page.check("#id_is_guide")
        page.select_option("#id_guide_type", "relationship")
    submit_full_page_form(page)
    match = wait_for_path(page, r"/accounts/contacts/(\d+)/")
    contact = Contact.objects.get(account=account, name=name)
    assert int(match.group(1)) == contact.pk
    page.click(f"main .breadcrumb a[href='/accounts/{account.pk}/']")
    wait_for_path(page, rf"/accounts/{account.pk}/")
    return contact


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_rep_runs_moves_one_and_two(open_page, language):
    words = LABELS[language]
    today = timezone.localdate()
    page = open_page("rep", language=language)

    # --- Move 1: the account and its dossier ----------------------------------------------
    account = create_account(page, ACCOUNT)
    expect(page.locator("#dossier-summary")).to_contain_text(words["dossier"])
    start = completeness(page)
    scores = [start]

    boss = add_contact(
        page, account, BOSS, title="行长 President", level="decision", function="user"
    )
    guide = add_contact(
        page,
        account,
        GUIDE,
        title="信息科技部 架构师",
        level="operational",
        function="technical",
        guide=True,
    )
    scores.append(completeness(page))

    # Category 1, background: an installed product (inline htmx form).
    open_inline_part(page, "background", "installed")
    page.fill("#form-background #id_purpose", "核心系统 Core banking")
    page.fill("#form-background #id_brand", "IBM")
    page.fill("#form-background #id_product", "AS/400")
    page.fill("#form-background #id_quantity", "2")
    page.fill("#form-background #id_years_in_use", "12")
    page.select_option("#form-background #id_satisfaction", "2")
    save_inline_part(page, "background")
    expect(page.locator("#section-background table")).to_contain_text("AS/400")
    scores.append(completeness(page))

    # Category 2, organisation: departments with their heads.
    open_inline_part(page, "organisation", "department")
    page.fill("#form-organisation #id_name", "信息科技部")
    page.select_option("#form-organisation #id_function", "technical")
    page.select_option("#form-organisation #id_head", str(guide.pk))
    save_inline_part(page, "organisation")
    open_inline_part(page, "organisation", "department")
    page.fill("#form-organisation #id_name", "行长办公室")
    page.select_option("#form-organisation #id_function", "user")
    page.select_option("#form-organisation #id_head", str(boss.pk))
    save_inline_part(page, "organisation")
    departments = page.locator("#section-organisation table").first
    expect(departments).to_contain_text("信息科技部")
    expect(departments).to_contain_text(BOSS)
    scores.append(completeness(page))

    # Category 4, competition: a competitor present at the account, typed in as a new one.
    open_inline_part(page, "competition", "competitor")
    page.fill("#form-competition #id_new_competitor", "长城软件 Great Wall Soft")
    page.fill("#form-competition #id_products_in_use", "信贷管理系统 Credit management")
    page.select_option("#form-competition #id_satisfaction", "3")
    page.fill("#form-competition #id_rep_name", "王经理")
    save_inline_part(page, "competition")
    expect(page.locator("#section-competition")).to_contain_text("长城软件 Great Wall Soft")
    scores.append(completeness(page))

    # Category 3, personal: the decision maker's personal profile (its own, logged page).
    page.click(f"#section-personal a[href='/accounts/contacts/{boss.pk}/profile/']")
    page.fill("#id_birthday", "1970-05-18")
    page.fill("#id_hometown", "苏州 Suzhou")
    page.fill("#id_hobbies", "羽毛球、茶 badminton, tea")
    page.fill("#id_favourite_food", "本帮菜")
    submit_full_page_form(page)
    wait_for_path(page, rf"/accounts/contacts/{boss.pk}/")
    expect(page.locator("main dl.profile")).to_contain_text("苏州 Suzhou")
    page.click(f"main .breadcrumb a[href='/accounts/{account.pk}/']")
    wait_for_path(page, rf"/accounts/{account.pk}/")
    scores.append(completeness(page))

    # The completeness rose with every category, and every category has something now.
    assert scores == sorted(scores) and len(set(scores)) == len(scores), scores
    for category in ("background", "organisation", "personal", "competition"):
        percent = page.locator(f"#section-{category} .card-header .badge").inner_text()
        assert int(percent.rstrip("%")) > 0, (category, percent)
    account.refresh_from_db()
    assert account.installed_products.get().satisfaction == 2
    assert set(account.departments.values_list("head__name", flat=True)) == {BOSS, GUIDE}
    assert account.competitor_presences.get().competitor.name == "长城软件 Great Wall Soft"
    assert boss.profile.hometown == "苏州 Suzhou"
    assert guide.is_guide is True and boss.level == Level.DECISION

    # The org map: the decision maker in the decision row, the guide flagged, departments.
    page.click(f"main a[href='/accounts/{account.pk}/org-map/']")
    wait_for_path(page, rf"/accounts/{account.pk}/org-map/")
    expect(page.locator("main h1")).to_contain_text(ACCOUNT)
    expect(page.locator("tr.level-decision")).to_contain_text(BOSS)
    expect(page.locator("tr.level-operational")).to_contain_text(GUIDE)
    expect(page.locator("tr.level-operational .bi-compass")).to_have_count(1)
    expect(page.locator("main .alert-danger")).to_have_count(0)  # a decision maker is known
    expect(page.locator("main .org-tree").last).to_contain_text("行长办公室")
    snap(page.locator("main"), f"rep-journey-{language}-1-org-map")

    # --- The opportunity: create, qualify, buying group -------------------------------------
    page.click("a.navbar-brand")
    wait_for_path(page, "/")
    page.click("#panel-my-deals a[href='/opportunities/new/']")
    product = Product.objects.get(name="摧龙 ERP 财务云 Finance Cloud")
    page.fill("#id_name", DEAL)
    page.select_option("#id_account", label=ACCOUNT)
    page.select_option("#id_source", "guide")
    page.fill("#id_expected_close_date", (today + timedelta(days=20)).isoformat())
    page.fill("#id_next_step", "向钱行长演示方案 Demo to the president")
    page.fill("#id_next_step_date", (today + timedelta(days=3)).isoformat())
    page.select_option("#id_items-0-product", str(product.pk))
    page.fill("#id_items-0-quantity", "1")
    # The five criteria: budget, timeline, fit, worth (margin, cost of sale, risk), win.
    page.fill("#id_budget_amount", "200000")
    page.select_option("#id_budget_status", "approved")
    page.fill("#id_decision_date", (today + timedelta(days=45)).isoformat())
    page.select_option("#id_fit", "5")
    page.fill("#id_margin_percent", "40")
    page.fill("#id_cost_of_sale", "10000")
    page.select_option("#id_implementation_risk", "low")
    page.fill("#id_win_estimate", "60")
    submit_full_page_form(page)
    match = wait_for_path(page, r"/opportunities/(\d+)/")
    deal = Opportunity.objects.get(name=DEAL)
    assert int(match.group(1)) == deal.pk
    assert (deal.account, deal.owner.username, deal.move) == (account, "rep", 1)
    assert deal.amount == product.list_price
    expect(page.locator("#gate-title")).to_contain_text("客户分析")
    # Without a buying group the evidence cannot back a 60% win estimate: not qualified yet.
    qualification = page.locator("section[aria-labelledby=qualification-title]")
    verdict = qualification.locator(".opp-score + div > .fw-semibold")
    expect(qualification.locator(".opp-score")).to_have_class("opp-score opp-verdict-needs_work")
    expect(verdict).to_have_text(words["needs_work"])
    expect(page.locator("#gate-panel .opp-check-unmet")).to_have_count(3)
    assert Opportunity.objects.get(pk=deal.pk).qualification_verdict == "needs_work"

    # The buying group: the president decides and supports us, with high influence …
    page.click(f"#buying-group a[href='/opportunities/{deal.pk}/stakeholders/new/']")
    page.select_option("#id_contact", str(boss.pk))
    page.check("input[name=roles][value=decision_maker]")
    page.select_option("#id_attitude", "supporter")
    page.select_option("#id_influence", "high")
    submit_full_page_form(page)
    wait_for_path(page, rf"/opportunities/{deal.pk}/")
    # … and the guide designs the solution.
    page.click(f"#buying-group a[href='/opportunities/{deal.pk}/stakeholders/new/']")
    page.select_option("#id_contact", str(guide.pk))
    page.check("input[name=roles][value=designer]")
    page.check("input[name=roles][value=evaluator]")
    page.select_option("#id_attitude", "supporter")
    page.select_option("#id_influence", "medium")
    submit_full_page_form(page)
    wait_for_path(page, rf"/opportunities/{deal.pk}/")

    power_map = page.locator("#power-map")
    expect(power_map).to_contain_text(words["power_map"])
    decision_row = power_map.locator("tbody tr").filter(has_text=BOSS)
    expect(decision_row.locator(".opp-role-decision_maker")).to_have_count(1)
    expect(power_map.locator(".opp-chip").filter(has_text=GUIDE).locator(".badge")).to_have_count(
        3  # the guide badge and two roles
    )
    expect(page.locator("#buying-group tbody tr")).to_have_count(2)
    expect(qualification.locator(".opp-score")).to_have_class("opp-score opp-verdict-qualified")
    expect(verdict).to_contain_text(words["qualified"])
    expect(page.locator("#gate-panel .opp-check-met")).to_have_count(3)
    snap(page.locator("main"), f"rep-journey-{language}-2-qualified-deal")
    deal.refresh_from_db()
    assert deal.qualification_verdict == "qualified"
    assert {s.contact_id: s.influence for s in deal.stakeholders.all()} == {
        boss.pk: "high",
        guide.pk: "medium",
    }

    # --- Move 2: a business meal with the president advances the relationship -------------
    page.locator(f"main a[href='/accounts/{account.pk}/']").first.click()
    page.click(f"#section-organisation a[href='/accounts/contacts/{boss.pk}/']")
    page.click(f"main a[href='/relationships/contacts/{boss.pk}/']")
    wait_for_path(page, rf"/relationships/contacts/{boss.pk}/")
    meal = ActivityType.objects.get(code="meal_tea")
    form = page.locator("#log-activity form")
    form.locator("select[name=type]").select_option(str(meal.pk))
    expect(form.locator(f"input[name=contacts][value='{boss.pk}']")).to_be_checked()
    form.locator("select[name=opportunity]").select_option(str(deal.pk))
    form.locator("textarea[name=notes]").fill("与钱行长在本帮菜馆午餐，谈到核心系统的痛点。")
    form.locator("input[name=cost]").fill("300")
    form.locator("button[type=submit]").click()
    suggestion = page.locator(f"#suggestion-{boss.pk}")
    expect(page.locator("#log-activity .alert-success")).to_contain_text(words["logged"])
    expect(suggestion).to_contain_text(words["interaction"])
    activity = Activity.objects.get(contacts=boss)
    assert (activity.type, activity.opportunity, activity.cost) == (meal, deal, 300)
    assert activity.approval_status == Activity.Approval.NOT_NEEDED
    assert Relationship.objects.filter(contact=boss, stage__gt=Stage.ACQUAINTANCE).count() == 0

    # The activity-logged event refreshes the list of activities in place. Wait for it, as a
    # person would: a stage change confirmed while that refresh is in flight is not shown
    # until the next reload (the race is in the report of issue 10's browser tests).
    expect(page.locator("#activities .list-group-item")).to_have_count(1)
    expect(suggestion.locator("button[type=submit]")).to_contain_text(words["advance"])
    suggestion.locator("button[type=submit]").click()
    expect(page.locator("#log-activity .alert-success").last).to_contain_text(BOSS)
    # The stage-changed event refreshes the ladder and the activities in place.
    expect(page.locator("#ladder li[aria-current=step]")).to_contain_text(words["interaction"])
    expect(page.locator("#stage-history")).to_contain_text(words["interaction"])
    snap(page.locator("main"), f"rep-journey-{language}-3-relationship")
    relationship = Relationship.objects.get(contact=boss)
    assert relationship.stage == Stage.INTERACTION
    change = relationship.stage_changes.get()
    assert (change.from_stage, change.to_stage, change.activity_id) == (1, 2, activity.pk)

    # --- Through the move-1 gate -------------------------------------------------------------
    page.goto(f"{page.base}/opportunities/{deal.pk}/")
    expect(power_map.locator(".opp-chip").filter(has_text=BOSS)).to_contain_text(
        words["interaction"]
    )
    gate = page.locator("#gate-panel")
    expect(gate.locator("#id_to_move")).to_have_value("2")
    gate.locator("button[type=submit]").click()
    expect(page.locator("main .alert-success")).to_contain_text(words["moved"])
    expect(page.locator("#gate-title")).to_contain_text("建立信任")
    expect(page.locator("#history")).to_contain_text(words["move_history"])
    expect(page.locator("#history tbody tr")).to_have_count(2)
    deal.refresh_from_db()
    assert deal.move == 2
    change = MoveChange.objects.filter(opportunity=deal).latest("changed_at")
    assert (change.from_move, change.to_move, change.is_override) == (1, 2, False)
    assert change.changed_by.username == "rep"

    # --- My day: the deal on the home page ---------------------------------------------------
    page.click("a.navbar-brand")
    wait_for_path(page, "/")
    my_deals = page.locator("#panel-my-deals")
    expect(my_deals).to_contain_text(words["my_deals"])
    move_two = my_deals.locator("section[aria-labelledby=home-move-2]")
    expect(move_two).to_contain_text(words["move2"])
    card = move_two.locator("li").filter(has=page.locator(f"a[href='/opportunities/{deal.pk}/']"))
    expect(card.locator("a.fw-semibold")).to_have_text(DEAL)
    # Move 2's three exit checks (its end flag, METHOD §2.3) all ask for 信赖: the advance of
    # the decision-level person to 约会 meets none of them yet.
    expect(card.locator(".badge")).to_contain_text("0/3")
    expect(page.locator(f"#panel-next-steps a[href='/opportunities/{deal.pk}/']")).to_have_count(1)
    assert words["move1"] in main_text(page)  # the six moves, named in the active language
