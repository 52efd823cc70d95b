"""Editing personality, interest points and needs; the guide fields of the contact."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from crm.concurrency import version_of
from relationships.models import Relationship


def test_personality_interests_and_needs_are_saved(world, personas, client_for):
    client = client_for(personas.owner)
    response = client.post(
        reverse("relationships:edit", args=[world.contact.pk]),
        {
            "personality": "owl",
            "interest_points": "golf， 茶、 Golf; 孩子教育",
            "institutional_needs": "月结 2 天",
            "institutional_needs_met": "on",
            "personal_needs": "promotion",
        },
    )
    assert response.status_code == 302
    relationship = Relationship.objects.get(contact=world.contact)
    assert relationship.personality == "owl"
    assert relationship.interest_points == ["golf", "茶", "孩子教育"]
    assert relationship.institutional_needs_met and not relationship.personal_needs_met
    page = client.get(reverse("relationships:contact", args=[world.contact.pk]))
    assert page.context["page"].quadrant == "supplier"


def test_the_guide_fields_of_the_contact(world, personas, client_for):
    client = client_for(personas.owner)
    url = reverse("relationships:guide", args=[world.contact.pk])
    version = {"version": version_of(world.contact)}
    response = client.post(url, {"is_guide": "on", **version})
    assert "guide_type" in response.context["form"].errors
    response = client.post(url, {"is_guide": "on", "guide_type": "technical", **version})
    assert response.status_code == 302
    world.contact.refresh_from_db()
    assert world.contact.is_guide and world.contact.guide_type == "technical"
    assert world.contact.guide_since == timezone.localdate()
    # Unticked: no longer a guide.
    client.post(url, {"guide_type": "technical", "version": version_of(world.contact)})
    world.contact.refresh_from_db()
    assert (world.contact.is_guide, world.contact.guide_type, world.contact.guide_since) == (
        False,
        "",
        None,
    )


def test_a_guide_since_the_future_is_refused(world, personas, client_for):
    client = client_for(personas.owner)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("relationships:guide", args=[world.contact.pk]),
        {
            "is_guide": "on",
            "guide_type": "relationship",
            "guide_since": tomorrow.isoformat(),
            "version": version_of(world.contact),
        },
    )
    assert "guide_since" in response.context["form"].errors
