"""Logging an activity: people limited to the account and to what the user sees, bad input
refused field by field, gifts above the limit sent for approval, advances suggested."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from relationships.models import Activity, Relationship
from tests.factories import ContactFactory


def _data(types, *contacts, **extra):
    data = {
        "type": types["meal_tea"].pk,
        "date": timezone.localdate().isoformat(),
        "contacts": [c.pk for c in contacts],
        "notes": "下午茶 Tea near the office",
        "cost": "120",
    }
    data.update(extra)
    return data


def _url(world):
    return reverse("relationships:log_for_contact", args=[world.contact.pk])


def test_the_rep_logs_an_activity_and_is_offered_the_advance(world, types, personas, client_for):
    client = client_for(personas.owner)
    response = client.post(_url(world), _data(types, world.contact), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Trigger"] == "activity-logged"
    activity = Activity.objects.get()
    assert activity.owner == personas.owner and activity.account == world.account
    assert activity.approval_status == "not_needed"
    body = response.content.decode()
    assert f"suggestion-{world.contact.pk}" in body
    assert 'name="stage" value="2"' in body
    # Nothing moves until the rep confirms.
    assert not Relationship.objects.filter(contact=world.contact).exists()


def test_the_rep_confirms_the_suggested_advance(world, types, personas, client_for):
    client = client_for(personas.owner)
    client.post(_url(world), _data(types, world.contact), HTTP_HX_REQUEST="true")
    activity = Activity.objects.get()
    response = client.post(
        reverse("relationships:change_stage", args=[world.contact.pk]),
        {"stage": "2", "from_stage": "1", "activity": activity.pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and response["HX-Trigger"] == "stage-changed"
    relationship = Relationship.objects.get(contact=world.contact)
    assert relationship.stage == 2
    assert relationship.stage_changes.get().activity == activity


def test_without_htmx_the_form_redirects_back(world, types, personas, client_for):
    client = client_for(personas.owner)
    response = client.post(_url(world), _data(types, world.contact, type=types["email"].pk))
    assert response.status_code == 302
    assert response["Location"] == reverse("relationships:contact", args=[world.contact.pk])


def test_a_gift_above_the_limit_goes_for_approval(world, types, personas, client_for):
    client = client_for(personas.owner)
    response = client.post(
        _url(world),
        _data(types, world.contact, type=types["valuable_gift"].pk, cost="1200"),
        HTTP_HX_REQUEST="true",
    )
    assert Activity.objects.get().approval_status == "pending"
    assert "text-bg-warning" in response.content.decode() or "alert-warning" in (
        response.content.decode()
    )


def test_a_crafted_post_cannot_attach_a_contact_from_an_invisible_account(
    world, types, personas, client_for
):
    client = client_for(personas.owner)
    response = client.post(_url(world), _data(types, world.contact, world.foreign_contact))
    assert response.status_code == 200
    assert "contacts" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_a_contact_of_another_visible_account_is_refused(world, types, personas, client_for):
    """The people of one activity belong to one account, even if the user sees both."""
    second = ContactFactory(account__owner=personas.owner)
    client = client_for(personas.owner)
    response = client.post(_url(world), _data(types, world.contact, second))
    assert "contacts" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_bad_input_gets_field_errors(world, types, personas, client_for):
    client = client_for(personas.owner)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        _url(world),
        _data(
            types,
            world.contact,
            date=tomorrow.isoformat(),
            cost="-5",
            next_step_date=(timezone.localdate() - timedelta(days=3)).isoformat(),
        ),
        HTTP_HX_REQUEST="true",
    )
    errors = response.context["form"].errors
    assert {"date", "cost"} <= set(errors)
    response = client.post(
        _url(world),
        _data(
            types,
            world.contact,
            next_step_date=(timezone.localdate() - timedelta(days=3)).isoformat(),
            next_step="call",
        ),
    )
    assert "next_step_date" in response.context["form"].errors
    response = client.post(_url(world), _data(types))
    assert "contacts" in response.context["form"].errors
    assert not Activity.objects.exists()


def test_logging_from_the_account_page(world, types, personas, client_for):
    client = client_for(personas.manager)
    url = reverse("relationships:log_for_account", args=[world.account.pk])
    response = client.post(url, _data(types, world.contact, world.other_contact))
    assert response.status_code == 200  # the page with the suggested advances
    activity = Activity.objects.get()
    assert set(activity.contacts.all()) == {world.contact, world.other_contact}
    assert activity.owner == personas.manager
    assert len(response.context["suggestions"]) == 2


def test_an_inactive_contact_is_not_offered(world, types, personas, client_for):
    world.other_contact.is_active = False
    world.other_contact.save()
    client = client_for(personas.owner)
    response = client.get(_url(world))
    assert list(response.context["form"].fields["contacts"].queryset) == [world.contact]
