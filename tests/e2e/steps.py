"""Steps the browser journeys share: each drives the real UI (links, buttons, htmx inline
forms) through stable selectors (ids, names, values, hrefs), never through visible text, so
that the same step works in both languages. Text is asserted by the journeys themselves."""

import re

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import ARTIFACTS

# A label of the UI in each language, for the journeys' assertions (the zh_Hans catalogue).
LABELS = {
    "en": {
        "dossier": "Dossier completeness",
        "org_map": "Org map",
        "move1": "customer analysis (客户分析)",
        "move2": "build trust (建立信任)",
        "qualified": "qualified: clear, imminent and valuable",
        "needs_work": "needs work",
        "power_map": "Power map",
        "logged": "Activity logged.",
        "advance": "Confirm the advance",
        "interaction": "interaction (约会)",
        "moved": "Moved to build trust (建立信任).",
        "my_deals": "My open opportunities by move",
        "move_history": "Move history",
        "override": "override",
        "funnel": "Funnel by move",
        "reps": "Reps: attainment and pipeline",
        "approvals": "Gift approvals",
        "decided": "Decided by",
        "required": "This field is required.",
    },
    "zh-hans": {
        "dossier": "客户资料完整度",
        "org_map": "组织结构图",
        "move1": "客户分析",
        "move2": "建立信任",
        "qualified": "明确、近在眼前、有价值",
        "needs_work": "有待完善",
        "power_map": "权力地图",
        "logged": "活动已记录。",
        "advance": "确认推进",
        "interaction": "约会",
        "moved": "已转到建立信任。",
        "my_deals": "我进行中的机会（按六式）",
        "move_history": "阶段历史",
        "override": "越过检查",
        "funnel": "按六式的销售漏斗",
        "reps": "销售代表：目标达成与销售漏斗",
        "approvals": "礼品审批",
        "decided": "审批",
        "required": "这个字段是必填项。",
    },
}


def main_text(page: Page) -> str:
    return page.locator("main").inner_text()


def submit_full_page_form(page: Page, form_selector: str = "main form[method=post]") -> None:
    """Click the submit button of a full-page form (the one with the Save button)."""
    page.locator(form_selector).filter(has=page.locator("button.btn-primary")).last.locator(
        "button.btn-primary[type=submit]"
    ).click()


def completeness(page: Page) -> int:
    """The dossier completeness shown in the account page's summary card."""
    badge = page.locator("#dossier-summary h2 .badge")
    return int(badge.inner_text().strip().rstrip("%"))


def open_inline_part(page: Page, category: str, kind: str) -> None:
    """Click a section's "Add …" button: htmx loads the inline form into #form-<category>."""
    page.locator(f"#section-{category} a[hx-get$='/{kind}/new/']").click()
    expect(page.locator(f"#form-{category} form")).to_be_visible()


def save_inline_part(page: Page, category: str) -> None:
    """Save the open inline form; htmx swaps the section (and the summary, out of band)."""
    page.locator(f"#form-{category} button[type=submit]").click()
    expect(page.locator(f"#form-{category} form")).to_have_count(0)


def wait_for_path(page: Page, pattern: str) -> re.Match:
    """Wait until the page's path matches the regular expression; return the match."""
    regex = re.compile(rf"^{re.escape(page.base)}{pattern}(#.*)?$")
    page.wait_for_url(regex)
    return regex.match(page.url)


def snap(locator: Locator, name: str) -> None:
    """Save a screenshot of one part of a page in the middle of a journey (the fixture saves
    each journey's end): test-artifacts/e2e/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    locator.screenshot(path=str(ARTIFACTS / f"{name}.png"))
