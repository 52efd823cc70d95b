"""htmx shows validation errors where the form is: an inline move-3 form posted empty answers
400 with the form and its field errors, and static/js/cuilong.js tells htmx to swap 400s (htmx
2 would drop them silently). Nothing is written; the corrected form then saves."""

from playwright.sync_api import expect

from opportunities.models import Need, NeedCategory, Opportunity
from tests.e2e.steps import LABELS, snap, wait_for_path

DEAL = "网点供应链升级 Branch supply chain upgrade"  # demo: `rep`'s deal in move 3
PROBLEM = "网点补货靠人工估算，缺货率 8% Stock-outs at branches"
TARGET = "缺货率降到 2% 以下"


def test_an_empty_inline_need_shows_its_field_errors_in_place(open_page):
    words = LABELS["en"]
    deal = Opportunity.objects.get(name=DEAL)
    assert deal.move == 3
    needs_before = Need.objects.filter(opportunity=deal).count()
    page = open_page("rep", language="en")
    page.goto(f"{page.base}/opportunities/{deal.pk}/")

    # "Add a need" opens the inline form inside the move-3 section (htmx GET).
    page.locator(f"#move-3 a[hx-get='/opportunities/{deal.pk}/moves/need/new/']").click()
    form = page.locator("#slot-need #move-form-need form")
    expect(form).to_be_visible()
    page.evaluate("window.__before_submit = true")  # gone if the page were reloaded

    with page.expect_response(lambda r: r.request.method == "POST") as response:
        form.locator("button[type=submit]").click()
    assert response.value.status == 400
    assert response.value.request.headers.get("hx-request") == "true"

    # The 400 was swapped in place: the same page, the form still in the move-3 section.
    box = page.locator("#slot-need #move-form-need")
    expect(box.locator("#id_problem")).to_have_class("textinput form-control is-invalid")
    expect(box.locator("#id_category")).to_have_class("select form-select is-invalid")
    for field in ("problem", "category"):
        expect(box.locator(f"#error_1_id_{field}")).to_have_text(words["required"])
    expect(box.locator(".invalid-feedback")).to_have_count(2)
    snap(page.locator("#move-3"), "htmx-errors-need-form-400")
    assert page.evaluate("window.__before_submit") is True
    assert page.url == f"{page.base}/opportunities/{deal.pk}/"
    expect(page.locator("#gate-panel")).to_be_visible()
    assert Need.objects.filter(opportunity=deal).count() == needs_before

    # Corrected, the same inline form saves: the server answers with HX-Redirect to the page's
    # own section (…/#move-3) and the need is written once.
    category = NeedCategory.objects.filter(is_active=True).first()
    fill_need(box, category)
    box.locator("button[type=submit]").click()
    wait_for_path(page, rf"/opportunities/{deal.pk}/#move-3")
    need = Need.objects.filter(opportunity=deal).latest("created_at")
    assert Need.objects.filter(opportunity=deal).count() == needs_before + 1
    assert (need.category, need.target) == (category, TARGET)
    expect(page.locator("#move-3 table")).to_contain_text(PROBLEM)
    expect(page.locator("main .alert-success")).to_be_visible()  # the "Saved." message


def fill_need(box, category):
    box.locator("#id_problem").fill(PROBLEM)
    box.locator("#id_category").select_option(str(category.pk))
    box.locator("#id_target").fill(TARGET)


def test_saving_an_inline_need_shows_it_without_a_manual_reload(open_page):
    deal = Opportunity.objects.get(name=DEAL)
    page = open_page("rep", language="en")
    page.goto(f"{page.base}/opportunities/{deal.pk}/")
    page.locator(f"#move-3 a[hx-get='/opportunities/{deal.pk}/moves/need/new/']").click()
    box = page.locator("#slot-need #move-form-need")
    fill_need(box, NeedCategory.objects.filter(is_active=True).first())
    box.locator("button[type=submit]").click()
    wait_for_path(page, rf"/opportunities/{deal.pk}/#move-3")
    expect(page.locator("#move-3 table")).to_contain_text(PROBLEM, timeout=3_000)
    expect(page.locator("#move-form-need")).to_have_count(0, timeout=1_000)
