"""The dossier into trust on the screens: the profile's hobbies feed the next-best actions, 行程
shows on the relationship and care pages (only for people the user may see), and a person
of an open deal whose stage has not moved is flagged beside cooling."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import PersonalProfile
from relationships.models import Relationship, StageChange
from tests.opportunities.factories import OpportunityFactory, StakeholderFactory


def _page(client, contact):
    return client.get(
        reverse("relationships:contact", args=[contact.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )


def test_profile_hobbies_feed_the_next_best_actions(world, types, personas, client_for):
    Relationship.objects.create(contact=world.contact, stage=2)
    PersonalProfile.objects.create(
        contact=world.contact, hobbies="高尔夫、摄影", favourite_reading="三国演义"
    )
    response = _page(client_for(personas.owner), world.contact)
    page = response.context["page"]
    assert page.profile_interests == ["高尔夫", "摄影", "三国演义"]
    assert page.actions[0].code == "social_event"
    assert "Builds on their interest: 高尔夫" in response.content.decode()


def test_trip_shows_on_the_relationship_page(world, types, personas, client_for):
    PersonalProfile.objects.create(contact=world.contact, vacation_plans="10月10日–17日 云南")
    body = _page(client_for(personas.owner), world.contact).content.decode()
    assert "On holiday (行程): 10月10日–17日 云南 — greet them after they are back." in body


def test_the_care_page_lists_current_trips_of_visible_people_only(
    world, types, personas, client_for
):
    PersonalProfile.objects.create(contact=world.contact, vacation_plans="国庆 去三亚")
    old = PersonalProfile.objects.create(contact=world.other_contact, vacation_plans="去年的计划")
    PersonalProfile.objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timedelta(days=200)
    )
    PersonalProfile.objects.create(contact=world.foreign_contact, vacation_plans="secret trip")
    url = reverse("relationships:care") + "?scope=all"
    response = client_for(personas.owner).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert [(i.contact, i.trip) for i in response.context["trips"]] == [
        (world.contact, "国庆 去三亚")
    ]
    body = response.content.decode()
    assert "国庆 去三亚" in body and "secret trip" not in body and "去年的计划" not in body
    assert all(r.kind != "trip" for r in response.context["reminders"])


def test_a_stagnant_key_person_is_flagged_beside_cooling(world, types, personas, client_for):
    relationship = Relationship.objects.create(contact=world.contact, stage=2)
    StageChange.objects.create(
        relationship=relationship,
        from_stage=1,
        to_stage=2,
        changed_at=timezone.now() - timedelta(days=61),
    )
    client = client_for(personas.owner)
    assert _page(client, world.contact).context["page"].stagnant is False  # not in a deal
    StakeholderFactory(opportunity=OpportunityFactory(account=world.account), contact=world.contact)
    response = _page(client, world.contact)
    assert response.context["page"].stagnant is True
    assert "stagnant: on this stage since" in response.content.decode()
    care = client.get(reverse("relationships:care"), HTTP_ACCEPT_LANGUAGE="en")
    [item] = [i for i in care.context["cooling"] if i.relationship == relationship]
    assert item.stagnant and not item.cooling
    assert "stagnant: on this stage since" in care.content.decode()
