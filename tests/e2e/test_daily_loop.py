"""The daily loop in a real browser, in English and in Chinese: a rep plans a dinner for
tomorrow from a next-best action, sees it in the calendar's week view and — after the next
morning's reminders scan — in the bell, marks it done from the inbox, confirms the advance,
and the ladder shows the stage as supported by that activity."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Contact
from crm.notifications import services as notification_services
from relationships.models import Activity, PlannedActivity


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_rep_plans_a_dinner_and_ticks_it_off(open_page, language):
    person = (
        Contact.objects.filter(
            account__owner__username="rep", is_active=True, relationship__stage=1
        )
        .order_by("pk")
        .first()
    )
    page = open_page("rep", language=language)
    tomorrow = timezone.localdate() + timedelta(days=1)

    page.goto(f"{page.base}/relationships/contacts/{person.pk}/")
    page.click("a.plan-action[href$='type=meal_tea']")
    expect(page.locator("#id_type")).to_have_value(str(_meal_tea_pk()))
    page.fill("#id_starts_at", f"{tomorrow.isoformat()}T19:00")
    page.fill("#id_notes", "晚宴 dinner")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url(f"{page.base}/relationships/contacts/{person.pk}/")
    plan = PlannedActivity.objects.get(contacts=person, status="planned")
    expect(page.locator("#planned .plan-item")).to_contain_text(person.name)

    page.goto(f"{page.base}/calendar/?day={tomorrow.isoformat()}")
    day = page.locator(f".cal-day[data-day='{tomorrow.isoformat()}']")
    expect(day.locator(".cal-plan", has_text=person.name)).to_contain_text("19:00")

    notification_services.scan(today=tomorrow)  # the next morning's scan
    page.reload()
    expect(page.locator("#bell-count")).to_be_visible()
    page.click("#bell")
    page.wait_for_url(f"{page.base}/notifications/")
    page.locator("li.notification", has_text=person.name).filter(has_text="19:00").locator(
        "button.btn-link"
    ).click()
    page.wait_for_url(f"{page.base}/relationships/plans/{plan.pk}/done/")
    page.fill("#id_outcome", "谈得很好 went well")
    page.click("#done-form button[type=submit]")
    # The suggestion posts through htmx: wait until the new page is there and loaded (and htmx
    # taken over its forms), or on a loaded machine the click submits the plain form first
    # ("load" alone can answer for the page being left).
    expect(page.locator(".suggestion button[type=submit]")).to_be_visible()
    page.wait_for_load_state("load")
    page.wait_for_function("() => window.htmx !== undefined && document.readyState === 'complete'")
    page.locator(".suggestion button[type=submit]").click()
    expect(page.locator(".suggestion")).to_have_count(1)

    page.goto(f"{page.base}/relationships/contacts/{person.pk}/")
    expect(page.locator("#ladder")).to_contain_text(
        "supported by activities" if language == "en" else "有活动支撑"
    )
    activity = Activity.objects.get(plan=plan)
    assert activity.date == timezone.localdate()
    expect(page.locator("#activities")).to_contain_text("谈得很好")


def _meal_tea_pk():
    from relationships.models import ActivityType

    return ActivityType.objects.get(code="meal_tea").pk
