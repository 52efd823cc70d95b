"""A rep on a phone-width viewport (390 px): the home page, an account page through the
collapsed menu, and an activity logged from the phone. No page scrolls sideways."""

from playwright.sync_api import expect

from accounts.models import Account
from relationships.models import Activity, ActivityType
from tests.e2e.conftest import PHONE
from tests.e2e.steps import LABELS, wait_for_path

ACCOUNT = "华东电网信息中心"  # a demo account of `rep`


def assert_fits_the_screen(page):
    """Nothing is wider than the viewport (tables scroll inside their own container)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_rep_uses_home_account_and_logs_an_activity_on_a_phone(open_page):
    words = LABELS["zh-hans"]
    account = Account.objects.get(name=ACCOUNT)
    contact = account.contacts.filter(is_active=True).order_by("name").first()
    before = Activity.objects.filter(contacts=contact).count()
    page = open_page("rep", viewport=PHONE, language="zh-hans")

    # Home: my day, one column.
    expect(page.locator("#panel-my-deals")).to_contain_text(words["my_deals"])
    expect(page.locator("#main-nav")).not_to_be_visible()
    assert_fits_the_screen(page)

    # The account through the collapsed menu and the list.
    page.click(".navbar-toggler")
    page.locator("#main-nav a.nav-link[href='/accounts/']").click()
    wait_for_path(page, r"/accounts/")
    page.locator(f"main a[href='/accounts/{account.pk}/']").first.click()
    wait_for_path(page, rf"/accounts/{account.pk}/")
    expect(page.locator("main h1")).to_have_text(ACCOUNT)
    expect(page.locator("#dossier-summary")).to_contain_text(words["dossier"])
    expect(page.locator("#section-organisation")).to_be_visible()
    assert_fits_the_screen(page)

    # A contact, their relationship page, and an office visit logged from the phone.
    page.locator(f"#section-organisation a[href='/accounts/contacts/{contact.pk}/']").click()
    page.locator(f"main a[href='/relationships/contacts/{contact.pk}/']").click()
    wait_for_path(page, rf"/relationships/contacts/{contact.pk}/")
    assert_fits_the_screen(page)
    visit = ActivityType.objects.get(code="office_visit")
    form = page.locator("#log-activity form")
    form.locator("select[name=type]").select_option(str(visit.pk))
    form.locator("textarea[name=notes]").fill("手机上记录：上门拜访，讨论巡检系统的试点范围。")
    form.locator("input[name=next_step]").fill("发送试点方案")
    form.locator("button[type=submit]").scroll_into_view_if_needed()
    form.locator("button[type=submit]").click()
    expect(page.locator("#log-activity .alert-success")).to_contain_text(words["logged"])
    expect(page.locator("#activities .list-group-item").first).to_contain_text("试点范围")
    assert Activity.objects.filter(contacts=contact).count() == before + 1
    activity = Activity.objects.filter(contacts=contact).latest("created_at")
    assert (activity.type, activity.owner.username) == (visit, "rep")
    assert activity.next_step == "发送试点方案"
    assert_fits_the_screen(page)
