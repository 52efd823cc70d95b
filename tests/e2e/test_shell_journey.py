"""A rep signs in, switches the language, uses the phone-width menu and signs out."""

from tests.e2e.conftest import PHONE


def test_rep_signs_in_switches_language_and_signs_out(open_page):
    page = open_page("rep")
    assert page.locator("h1").inner_text().endswith("你好")
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("Good to see you")
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#user-menu")
    page.click("text=Sign out")
    page.wait_for_url("**/auth/login/")


def test_phone_width_menu_collapses_and_opens(open_page):
    page = open_page("manager", viewport=PHONE, language="en")
    nav_home = page.locator("#main-nav a.nav-link", has_text="Home")
    assert not nav_home.is_visible()
    page.click(".navbar-toggler")
    nav_home.wait_for(state="visible")
    assert "sales manager" in page.locator("main").inner_text()


def test_a_page_loads_no_blocked_resource(open_page):
    """Every stylesheet and script is served by us and allowed by the CSP."""
    page = open_page("rep", language="en")
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("requestfailed", lambda request: errors.append(request.url))
    page.reload()
    page.wait_for_load_state("networkidle")
    assert errors == []
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("typeof bootstrap") == "object"
