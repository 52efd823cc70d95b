"""Changing the stage: recorded with who and which activity; stale forms refused."""

from django.urls import reverse

from relationships.models import Relationship, StageChange
from tests.relationships.factories import ActivityFactory


def test_the_stage_change_is_recorded(world, types, personas, client_for):
    activity = ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["family_activity"],
        contacts=[world.contact],
    )
    client = client_for(personas.owner)
    url = reverse("relationships:change_stage", args=[world.contact.pk])
    assert client.get(url + f"?stage=3&activity={activity.pk}").status_code == 200
    response = client.post(
        url, {"stage": "3", "from_stage": "1", "activity": activity.pk, "note": "family day"}
    )
    assert response.status_code == 302
    change = StageChange.objects.get()
    recorded = (change.from_stage, change.to_stage, change.changed_by, change.activity)
    assert recorded + (change.note,) == (
        1,
        3,
        personas.owner,
        activity,
        "family day",
    )


def test_the_same_stage_is_refused(world, personas, client_for):
    client = client_for(personas.owner)
    url = reverse("relationships:change_stage", args=[world.contact.pk])
    response = client.post(url, {"stage": "1"})
    assert "stage" in response.context["form"].errors
    assert not StageChange.objects.exists()


def test_an_activity_of_someone_else_is_not_a_choice(world, types, personas, client_for):
    other = ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["meal_tea"],
        contacts=[world.other_contact],
    )
    client = client_for(personas.owner)
    url = reverse("relationships:change_stage", args=[world.contact.pk])
    response = client.post(url, {"stage": "2", "activity": other.pk})
    assert "activity" in response.context["form"].errors
    assert not StageChange.objects.exists()


def test_a_stale_form_is_refused_with_a_message(world, personas, client_for):
    Relationship.objects.create(contact=world.contact, stage=3)
    client = client_for(personas.owner)
    url = reverse("relationships:change_stage", args=[world.contact.pk])
    response = client.post(url, {"stage": "2", "from_stage": "1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "alert-danger" in response.content.decode()
    assert Relationship.objects.get(contact=world.contact).stage == 3
