"""Greetings in a real browser, in English and in Chinese: a week before 中秋 a rep opens the
care page, previews the festival's greetings, keeps two people, edits one text, sends them by
e-mail, sees both sent and finds each logged in the person's history."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from playwright.sync_api import expect

from accounts.models import Contact
from relationships.models import Activity, Greeting

MID_AUTUMN_WEEK = dt.datetime(2027, 9, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_rep_sends_mid_autumn_greetings_to_two_people(open_page, language):
    two = list(
        Contact.objects.filter(account__owner__username="rep", is_active=True).order_by("pk")[:2]
    )
    for n, person in enumerate(two):
        person.email = f"person{n}@example.com"
        person.save(update_fields=["email"])
    with time_machine.travel(MID_AUTUMN_WEEK, tick=True):
        page = open_page("rep", language=language)
        page.goto(f"{page.base}/relationships/care/")
        festival = "Mid-Autumn Festival" if language == "en" else "中秋节"
        item = page.locator("li", has_text=festival).filter(has_text="2027-09-15")
        item.locator("a.greet-link").click()
        page.wait_for_url("**/greetings/festival/**/2027-09-15/")
        expect(page.locator(".greeting-draft").first).to_be_visible()
        # One box at a time, each with the action timeout (an evaluate() has none).
        for box in page.locator("input[name$='-include']").all():
            box.uncheck()
        for person in two:
            page.check(f"#id_c{person.pk}-include")
        first = page.locator(f"#id_c{two[0].pk}-text")
        expect(first).not_to_be_empty()
        first.fill(f"{two[0].name}，中秋快乐！月圆人圆 (edited)")
        page.click("button[name=when][value=now]")
        page.wait_for_url(f"{page.base}/relationships/greetings/")
        for person in two:
            row = page.locator(".greeting-row", has_text=person.name)
            expect(row.locator(".greeting-status")).to_have_text(
                "sent" if language == "en" else "已发送"
            )

        page.goto(f"{page.base}/relationships/contacts/{two[0].pk}/")
        expect(page.locator("#activities")).to_contain_text("月圆人圆 (edited)")
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in two)
    festival = Greeting.objects.filter(occasion="festival")
    assert sorted(festival.values_list("status", flat=True)) == ["sent", "sent"]
    logged = Activity.objects.filter(type__code="greeting", greeting__occasion="festival")
    assert sorted(a.greeting.contact_id for a in logged) == sorted(p.pk for p in two)
