"""The charts of the three "learn" pages in a real browser, on a phone, as the manager with the
demo data: every chart with data is drawn (a chart without data is hidden), a reliability chart
when its <details> opens, no script error, and nothing wider than the screen."""

import pytest

from tests.e2e.conftest import ARTIFACTS, PHONE

PAGES = ["/opportunities/learn/", "/relationships/learn/trust/", "/relationships/gifts/ledger/"]

# Per canvas: its chart's name, whether Chart.js drew it, whether its box is hidden, whether
# its spec has categories (labels).
CANVASES = """() => [...document.querySelectorAll("canvas[data-chart]")].map((canvas) => {
  const source = JSON.parse(document.getElementById(canvas.dataset.source).textContent);
  const spec = source[canvas.dataset.chart] || {};
  return {
    name: canvas.dataset.chart,
    drawn: !!Chart.getChart(canvas),
    hidden: canvas.closest(".pipe-chart").hidden,
    data: !!(spec.labels && spec.labels.length),
    closed: !!canvas.closest("details:not([open])"),
  };
})"""


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_manager_sees_every_chart_of_the_learn_pages(open_page, language):
    page = open_page("manager", viewport=PHONE, language=language)
    errors = []
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.on("pageerror", lambda error: errors.append(str(error)))
    for path in PAGES:
        page.goto(page.base + path)
        page.wait_for_load_state("networkidle")
        canvases = page.evaluate(CANVASES)
        assert canvases, path
        for canvas in canvases:
            if canvas["closed"]:  # drawn when its <details> opens
                assert not canvas["drawn"], canvas
            else:
                assert canvas["drawn"] is canvas["data"] and canvas["hidden"] is not canvas["data"]
        drawn = [c for c in canvases if c["drawn"]]
        assert drawn, path  # the demo data fills at least one chart of each page
        for summary in page.locator("details > summary").all():
            summary.click()
        # A <details> fires its "toggle" after the click returns: wait for the drawing (a
        # chart never drawn fails here after the timeout).
        page.wait_for_function(
            f"() => ({CANVASES})().every((c) => c.drawn || !c.data)", timeout=10_000
        )
        assert all(c["drawn"] for c in page.evaluate(CANVASES) if c["data"]), path
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
        name = path.strip("/").replace("/", "-")
        page.screenshot(path=str(ARTIFACTS / f"learn-charts-{name}-{language}.png"), full_page=True)
    assert errors == []
