"""The greetings pages: preview, edit and send from the care page and the person's page, the
status list and its actions, the communication preferences; access and query counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from relationships.models import Activity, CommunicationPreference, Greeting
from tests.factories import ContactFactory
from tests.relationships.factories import festival_on

# A week after the day the suite is pinned to (--today).
DAY = timezone.localdate() + timedelta(days=7)


@pytest.fixture
def day_off(seeded):
    return festival_on(DAY, "Company Day", "公司日")


def festival_url(festival, **query):
    url = reverse("relationships:greet_festival", args=[festival.pk, DAY.isoformat()])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def post_data(people, channel="email", **texts):
    data = {"channel": channel, "when": "now", "contact": [p.pk for p in people]}
    for person in people:
        data[f"c{person.pk}-include"] = "on"
        data[f"c{person.pk}-subject"] = "公司日快乐"
        data[f"c{person.pk}-text"] = texts.get(str(person.pk), f"{person.name}您好，公司日快乐！")
    return data


def test_the_care_page_links_to_the_greetings(people, day_off, personas, client_for):
    page = client_for(personas.owner).get(reverse("relationships:care")).content.decode()
    assert festival_url(day_off).replace("?", "") in page
    assert reverse("relationships:greet_birthday") in page


def test_the_preview_shows_each_persons_text_and_who_is_skipped(
    people, day_off, personas, client_for
):
    people.other_contact.email = ""
    people.other_contact.save()
    response = client_for(personas.owner).get(festival_url(day_off))
    page = response.content.decode()
    assert "周建国您好！值此公司日" in page
    assert "Linda Xu" in page and "跳过：没有电子邮件地址。" in page
    refusals = {d.contact.pk: d.refusal for d, _form in response.context["rows"]}
    assert refusals == {people.contact.pk: "", people.other_contact.pk: "没有电子邮件地址。"}
    english = client_for(personas.owner).get(festival_url(day_off), HTTP_ACCEPT_LANGUAGE="en")
    assert "Skipped: No e-mail address." in english.content.decode()


def test_wechat_copies_are_sent_once_confirmed_and_logged(people, day_off, personas, client_for):
    client = client_for(personas.owner)
    people_list = [people.contact, people.other_contact]
    response = client.post(
        festival_url(day_off), post_data(people_list, "wechat", **{str(people.contact.pk): "改过"})
    )
    assert response.status_code == 302
    greetings = {g.contact_id: g for g in Greeting.objects.all()}
    assert {g.status for g in greetings.values()} == {"copied"}
    assert greetings[people.contact.pk].text == "改过"
    page = client.get(reverse("relationships:greetings")).content.decode()
    assert "复制到微信" in page
    for greeting in greetings.values():
        client.post(reverse("relationships:greeting_confirm", args=[greeting.pk]))
    assert set(Greeting.objects.values_list("status", flat=True)) == {"sent"}
    contact_page = client.get(reverse("relationships:contact", args=[people.contact.pk]))
    assert "改过" in contact_page.content.decode()  # in the person's history
    assert Activity.objects.filter(type__code="greeting", contacts=people.contact).count() == 1


def test_an_empty_text_is_refused_on_its_field_and_nothing_is_written(
    people, day_off, personas, client_for
):
    data = post_data([people.contact, people.other_contact], **{str(people.contact.pk): ""})
    response = client_for(personas.owner).post(festival_url(day_off), data)
    assert response.status_code == 200
    (form,) = [f for d, f in response.context["rows"] if d.contact == people.contact]
    assert "text" in form.errors
    assert not Greeting.objects.exists()


def test_a_rival_cannot_send_to_team_1s_people_nor_see_their_greetings(
    people, day_off, personas, client_for
):
    owner = client_for(personas.owner)
    owner.post(festival_url(day_off), post_data([people.contact], "wechat"))
    greeting = Greeting.objects.get()
    rival = client_for(personas.outsider)
    assert rival.post(festival_url(day_off), post_data([people.contact])).status_code == 404
    assert rival.get(festival_url(day_off, contact=people.contact.pk)).status_code == 404
    assert people.contact.name not in rival.get(festival_url(day_off)).content.decode()
    assert "改过" not in rival.get(reverse("relationships:greetings")).content.decode()
    assert people.contact.name not in rival.get(reverse("relationships:greetings")).content.decode()
    url = reverse("relationships:greeting_confirm", args=[greeting.pk])
    assert rival.post(url).status_code == 404
    greet_contact = reverse("relationships:greet_contact", args=[people.contact.pk])
    assert rival.get(greet_contact).status_code == 404
    assert Greeting.objects.count() == 1 and Greeting.objects.get().status == "copied"


def test_a_day_the_festival_does_not_fall_on_is_not_found(day_off, personas, client_for):
    url = reverse("relationships:greet_festival", args=[day_off.pk, str(DAY + timedelta(days=1))])
    assert client_for(personas.owner).get(url).status_code == 404
    url = reverse("relationships:greet_festival", args=[day_off.pk, "not-a-day"])
    assert client_for(personas.owner).get(url).status_code == 404


def test_the_persons_page_lists_their_occasions(people, day_off, personas, client_for):
    url = reverse("relationships:greet_contact", args=[people.contact.pk])
    page = client_for(personas.owner).get(url).content.decode()
    assert festival_url(day_off, contact=people.contact.pk).replace("&", "&amp;") in page or (
        festival_url(day_off, contact=people.contact.pk) in page
    )
    contact_page = client_for(personas.owner).get(
        reverse("relationships:contact", args=[people.contact.pk])
    )
    assert url in contact_page.content.decode()


def test_opting_out_needs_a_reason_and_is_kept(people, personas, client_for):
    client = client_for(personas.owner)
    url = reverse("relationships:communication", args=[people.contact.pk])
    today = timezone.localdate()
    data = {"email_allowed": "on", "reason": "", "set_on": str(today), "language": "zh-hans"}
    response = client.post(url, data)
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert not CommunicationPreference.objects.exists()
    response = client.post(url, {**data, "reason": "电话里说不要短信"})
    assert response.status_code == 302
    preference = CommunicationPreference.objects.get()
    assert (preference.email_allowed, preference.sms_allowed) == (True, False)
    assert preference.set_by == personas.owner
    version = preference.updated_at.isoformat()
    tomorrow = str(today + timedelta(days=1))
    response = client.post(url, {**data, "reason": "x", "set_on": tomorrow, "version": version})
    assert "set_on" in response.context["form"].errors


def test_a_stale_preference_form_is_refused(people, personas, client_for):
    preference = CommunicationPreference.objects.create(contact=people.contact)
    client = client_for(personas.owner)
    url = reverse("relationships:communication", args=[people.contact.pk])
    data = {
        "email_allowed": "on",
        "sms_allowed": "on",
        "set_on": str(timezone.localdate()),
        "language": "en",
        "version": "2000-01-01T00:00:00+00:00",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    preference.refresh_from_db()
    assert preference.language == "zh-hans"


@pytest.mark.parametrize("size", [2, 8])
def test_preview_query_count(
    people, day_off, personas, client_for, django_assert_num_queries, size
):
    for n in range(size - 2):
        ContactFactory(account=people.account, name=f"客户{n}", email=f"c{n}@example.com")
    client = client_for(personas.owner)
    # session, user; the festival; the rep's people; templates; the people with their
    # preferences and relationships; earlier greetings; the setting.
    with django_assert_num_queries(8):
        response = client.get(festival_url(day_off))
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [1, 6])
def test_greetings_list_query_count(
    people, day_off, personas, client_for, django_assert_num_queries, size
):
    for n in range(size):
        contact = ContactFactory(account=people.account, name=f"客户{n}")
        Greeting.objects.create(
            account=people.account,
            contact=contact,
            owner=personas.owner,
            occasion="festival",
            festival=day_off,
            occasion_key=f"festival:{day_off.pk}",
            occasion_date=DAY,
            channel="wechat",
            language="zh-hans",
            text="公司日快乐",
            status="copied",
        )
    client = client_for(personas.owner)
    # session, user; count; the page with its people and festivals.
    with django_assert_num_queries(4):
        response = client.get(reverse("relationships:greetings"))
    assert len(response.context["page"].object_list) == size


@pytest.mark.parametrize("size", [1, 6])
def test_persons_greetings_page_query_count(
    people, day_off, personas, client_for, django_assert_num_queries, size
):
    for n in range(size):
        Greeting.objects.create(
            account=people.account,
            contact=people.contact,
            owner=personas.owner,
            occasion="festival",
            festival=day_off,
            occasion_key=f"festival:{day_off.pk}:{n}",
            occasion_date=DAY,
            channel="wechat",
            language="zh-hans",
            text="公司日快乐",
            status="sent",
            sent_at=timezone.now(),
        )
    client = client_for(personas.owner)
    url = reverse("relationships:greet_contact", args=[people.contact.pk])
    # session, user; the person with account, profile and preference; the festivals; the
    # person's greetings with their senders and festivals.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["greetings"]) == size


def test_scheduling_birthdays_whose_morning_has_passed_writes_none(people, personas, client_for):
    from accounts.models import PersonalProfile

    today = timezone.localdate()
    late, soon = today - timedelta(days=1), today + timedelta(days=2)
    for person, day in ((people.contact, late), (people.other_contact, soon)):
        PersonalProfile.objects.create(contact=person, birthday=day.replace(year=1980))
    url = reverse("relationships:greet_birthday")
    data = {
        **post_data([people.contact, people.other_contact], "email"),
        "when": "morning",
    }
    response = client_for(personas.owner).post(url, data)
    assert response.status_code == 200
    assert response.context["error"]
    assert not Greeting.objects.exists()


@pytest.mark.parametrize("size", [1, 5])
def test_birthdays_preview_query_count(
    people, personas, client_for, django_assert_num_queries, size
):
    from accounts.models import PersonalProfile

    today = timezone.localdate()
    for n in range(size):
        person = ContactFactory(account=people.account, name=f"寿星{n}", email=f"b{n}@example.com")
        birthday = (today + timedelta(days=n % 5)).replace(year=1980)
        PersonalProfile.objects.create(contact=person, birthday=birthday)
    client = client_for(personas.owner)
    # session, user; the week's birthdays (one statement); the people with their profiles;
    # templates; the people with their preferences and relationships; earlier greetings; the
    # setting.
    with django_assert_num_queries(8):
        response = client.get(reverse("relationships:greet_birthday"))
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [1, 5])
def test_communication_page_query_count(
    people, personas, client_for, django_assert_num_queries, size
):
    preference = CommunicationPreference.objects.create(contact=people.contact)
    for n in range(size):
        preference.reason = f"change {n}"
        preference.save()
    client = client_for(personas.owner)
    url = reverse("relationships:communication", args=[people.contact.pk])
    # session, user; the person with account; their preference.
    with django_assert_num_queries(4):
        assert client.get(url).status_code == 200
