"""Logging 成为向导 offers to mark the people as guides; one click does it, through the guide
form, recorded in the contact's history and announced to the deals."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.signals import people_changed
from crm.concurrency import version_of


def _log(client, world, types, code, *contacts):
    return client.post(
        reverse("relationships:log_for_contact", args=[world.contact.pk]),
        {
            "type": types[code].pk,
            "date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "contacts": [c.pk for c in contacts],
        },
        HTTP_HX_REQUEST="true",
    )


def _mark(client, contact, **data):
    """The one-click form as the offer renders it: with the version of the person it shows."""
    data.setdefault("version", version_of(contact))
    return client.post(reverse("relationships:mark_guide", args=[contact.pk]), data)


@pytest.mark.parametrize(
    ("code", "offered"), [("guide_intelligence", True), ("introduction", False), ("email", False)]
)
def test_only_becoming_a_guide_offers_it(world, types, personas, client_for, code, offered):
    body = _log(client_for(personas.owner), world, types, code, world.contact).content.decode()
    assert (f"guide-offer-{world.contact.pk}" in body) is offered


def test_people_already_guides_are_not_offered(world, types, personas, client_for):
    world.other_contact.is_guide, world.other_contact.guide_type = True, "technical"
    world.other_contact.save()
    client = client_for(personas.owner)
    body = _log(
        client, world, types, "guide_intelligence", world.contact, world.other_contact
    ).content.decode()
    assert f"guide-offer-{world.contact.pk}" in body
    assert f"guide-offer-{world.other_contact.pk}" not in body
    # The offer carries the day of the activity as the day they became a guide.
    assert (timezone.localdate() - timedelta(days=1)).isoformat() in body


def test_without_htmx_the_offer_is_shown_instead_of_going_back(world, types, personas, client_for):
    client = client_for(personas.owner)
    response = client.post(
        reverse("relationships:log_for_contact", args=[world.contact.pk]),
        {
            "type": types["guide_intelligence"].pk,
            "date": timezone.localdate().isoformat(),
            "contacts": [world.contact.pk],
        },
    )
    assert response.status_code == 200
    assert f"guide-offer-{world.contact.pk}" in response.content.decode()


def test_one_click_marks_the_guide_with_history_and_announces_it(world, personas, client_for):
    heard = []

    def listener(sender, contact_ids, **kwargs):
        heard.append(contact_ids)

    people_changed.connect(listener)
    try:
        since = timezone.localdate() - timedelta(days=2)
        response = client_for(personas.owner).post(
            reverse("relationships:mark_guide", args=[world.contact.pk]),
            {
                "guide_type": "relationship",
                "guide_since": since.isoformat(),
                "version": version_of(world.contact),
            },
            HTTP_HX_REQUEST="true",
        )
    finally:
        people_changed.disconnect(listener)
    assert response.status_code == 200 and response["HX-Trigger"] == "guide-marked"
    assert f"guide-offer-{world.contact.pk}" in response.content.decode()
    world.contact.refresh_from_db()
    assert (world.contact.is_guide, world.contact.guide_type, world.contact.guide_since) == (
        True,
        "relationship",
        since,
    )
    latest = world.contact.history.first()
    assert latest.is_guide and latest.history_user == personas.owner
    assert "成为向导" in latest.history_change_reason
    assert heard == [[world.contact.pk]]


def test_a_click_without_a_guide_type_changes_nothing(world, personas, client_for):
    response = _mark(client_for(personas.owner), world.contact)
    assert response.status_code == 302
    world.contact.refresh_from_db()
    assert not world.contact.is_guide


def test_a_guide_stays_as_they_are(world, personas, client_for):
    world.contact.is_guide, world.contact.guide_type = True, "technical"
    world.contact.save()
    before = world.contact.history.count()
    _mark(client_for(personas.owner), world.contact, guide_type="relationship")
    world.contact.refresh_from_db()
    assert world.contact.guide_type == "technical"
    assert world.contact.history.count() == before


def test_outsiders_cannot_mark(world, personas, client_for):
    assert (
        _mark(client_for(personas.outsider), world.contact, guide_type="technical").status_code
        == 404
    )
    world.contact.refresh_from_db()
    assert not world.contact.is_guide
