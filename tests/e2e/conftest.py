"""Browser journeys: Playwright for Python driving Debian's Chromium (/usr/bin/chromium),
headless, against pytest-django's live server with the demo data. No browser is downloaded.
Each journey saves a screenshot of its end under test-artifacts/e2e/."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
# A journey takes well under a minute; one that hangs (a browser or live-server thread stuck)
# fails after this many seconds with the stacks printed, and the suite goes on.
E2E_TIMEOUT = 240

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# browser steps are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.timeout(E2E_TIMEOUT))


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Debian's Chromium is missing at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture
def open_page(browser, live_server, demo, request):
    """`open_page(user, viewport=DESKTOP, language="zh-hans")`: a signed-in page; its final
    state is saved as a screenshot named after the test."""
    contexts = []

    def sign_in(username, *, viewport=DESKTOP, language="zh-hans"):
        context = browser.new_context(
            viewport=viewport, locale="zh-CN" if language == "zh-hans" else "en-US"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.base = live_server.url
        page.goto(f"{live_server.url}/auth/login/")
        switch = page.locator(f"button[name=language][value={language}]")
        if switch.count():
            switch.click()
            page.wait_for_load_state()
        page.fill("#login-form input[name=username]", username)
        page.fill("#login-form input[name=password]", "cuilong-demo")
        page.click("#login-form button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    yield sign_in
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for index, context in enumerate(contexts):
        for page in context.pages:
            name = f"{request.node.name}-{index}.png".replace("/", "_")
            page.screenshot(path=str(ARTIFACTS / name), full_page=True)
        context.close()
