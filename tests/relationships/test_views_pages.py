"""What the screens show, and their query counts at two data sizes (constant)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Level, PersonalProfile
from relationships import services
from relationships.forms import ActivityForm
from relationships.models import Activity, ActivityType, Relationship
from relationships.selectors import cooling_thresholds
from tests.factories import ContactFactory
from tests.opportunities.factories import OpportunityFactory, StakeholderFactory
from tests.relationships.factories import (
    ActivityFactory,
    PlannedActivityFactory,
    TodoFactory,
    festival_on,
)


def populate(world, types, personas, size):
    """`size` more people on the owner's account, each with a relationship, a birthday soon,
    hobbies and travel plans, a place in an open deal, activities (one a pending gift) and a
    stage change."""
    today = timezone.localdate()
    codes = ["phone_call", "meal_tea", "family_activity", "email"]
    for i in range(size):
        person = ContactFactory(account=world.account, level=Level.DECISION)
        PersonalProfile.objects.create(
            contact=person,
            birthday=today.replace(year=1980),
            hobbies="golf, 茶",
            vacation_plans="国庆 去三亚",
        )
        StakeholderFactory(opportunity=OpportunityFactory(account=world.account), contact=person)
        Relationship.objects.create(contact=person, stage=1 + i % 4)
        for j, code in enumerate(codes):
            ActivityFactory(
                account=world.account,
                owner=personas.owner,
                type=types[code],
                date=today - timedelta(days=40 + j),
                contacts=[person, world.contact],
                next_step="call back",
                next_step_date=today + timedelta(days=2),
            )
        ActivityFactory(
            account=world.account,
            owner=personas.owner,
            type=types["valuable_gift"],
            cost=Decimal("900"),
            approval_status=Activity.Approval.PENDING,
            contacts=[person, world.contact],
        )
        ActivityFactory(
            account=world.account,
            owner=personas.owner,
            type=types["social_event"],
            cost=Decimal("1500"),
            approval_status=Activity.Approval.APPROVED,
            decided_by=personas.manager,
            decided_at=timezone.now(),
            contacts=[person],
        )
        services.change_stage(contact=world.contact, to_stage=1 + (i + 1) % 4, by=personas.owner)
        PlannedActivityFactory(
            account=world.account,
            owner=personas.owner,
            type=types["meal_tea"],
            contacts=[person, world.contact],
        )
        TodoFactory(account=world.account, contact=world.contact, owner=personas.owner)


def test_the_relationship_page_shows_the_ladder_and_advice(world, types, personas, client_for):
    populate(world, types, personas, 2)
    relationship = Relationship.objects.get(contact=world.contact)
    relationship.personality = "tiger"
    relationship.interest_points = ["golf"]
    relationship.save()
    client = client_for(personas.owner)
    response = client.get(
        reverse("relationships:contact", args=[world.contact.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    page = response.context["page"]
    body = response.content.decode()
    assert page.relationship.stage == 3
    assert page.supported  # the family activity evidences 信赖
    assert [step.state for step in page.steps] == ["done", "done", "current", "next"]
    assert page.actions[0].code == "decision_support"  # tiger: results
    assert "The customer joins semi-private activities." in body
    assert "Be brief and to the point" in body
    assert len(page.stage_changes) == 2
    assert page.cooling is False


def test_an_unsupported_stage_is_flagged(world, types, personas, client_for):
    services.change_stage(contact=world.contact, to_stage=3, by=personas.owner)
    ActivityFactory(
        account=world.account, owner=personas.owner, type=types["email"], contacts=[world.contact]
    )
    client = client_for(personas.owner)
    page = client.get(reverse("relationships:contact", args=[world.contact.pk])).context["page"]
    assert page.supported is False


def test_a_rejected_gift_is_no_evidence(world, types, personas, client_for):
    services.change_stage(contact=world.contact, to_stage=3, by=personas.owner)
    ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["valuable_gift"],
        approval_status=Activity.Approval.REJECTED,
        decided_at=timezone.now(),
        contacts=[world.contact],
    )
    client = client_for(personas.owner)
    page = client.get(reverse("relationships:contact", args=[world.contact.pk])).context["page"]
    assert page.supported is False


def test_a_contact_without_relationship_starts_at_acquaintance(world, personas, client_for):
    client = client_for(personas.owner)
    response = client.get(reverse("relationships:contact", args=[world.contact.pk]))
    assert response.context["page"].relationship.stage == 1
    assert not Relationship.objects.exists()  # reading writes nothing


@pytest.mark.parametrize("related", [False, True])
def test_the_evidence_and_threshold_in_the_contacts_row_are_the_separate_reads(
    world, types, personas, client_for, related
):
    """The best evidence, the last activity and the cooling threshold read as subqueries of
    the contact's row equal the aggregate and the thresholds' table; a person without a
    relationship cools by the first stage's threshold."""
    if related:
        populate(world, types, personas, 2)
        ActivityFactory(
            account=world.account,
            owner=personas.owner,
            type=types["family_activity"],
            approval_status=Activity.Approval.REJECTED,
            decided_at=timezone.now(),
            date=timezone.localdate(),
            contacts=[world.contact],
        )
    client = client_for(personas.owner)
    response = client.get(reverse("relationships:contact", args=[world.contact.pk]))
    page = response.context["page"]
    evidence = Activity.objects.filter(contacts=world.contact).aggregate(
        best=Max("type__stage", filter=~Q(approval_status=Activity.Approval.REJECTED)),
        last=Max("date"),
    )
    assert (page.best_evidence, page.last_activity) == (evidence["best"], evidence["last"])
    stage = page.relationship.stage
    assert page.threshold == cooling_thresholds().get(stage) is not None
    assert (stage, page.best_evidence is None) == ((3, False) if related else (1, True))
    # The activity form offers the active types the page read, as a form of its own would.
    form = ActivityForm(account=world.account, user=personas.owner)
    offered = response.context["activity_form"].fields["type"].choices
    assert [(str(v), label) for v, label in offered] == [
        (str(v), label) for v, label in form.fields["type"].choices
    ]
    assert len(offered) == ActivityType.objects.filter(is_active=True).count() + 1


@pytest.mark.parametrize("size", [1, 6])
def test_relationship_page_query_count(
    world, types, personas, client_for, django_assert_num_queries, size
):
    populate(world, types, personas, size)
    client = client_for(personas.owner)
    url = reverse("relationships:contact", args=[world.contact.pk])
    # session, user; the contact with account, department, relationship and profile (and, as
    # subqueries, whether they are in an open deal, the stagnation setting, the best evidence,
    # the last activity and the cooling threshold of their stage); stage changes; recent
    # activities and their people (2); activity types (the activity form offers the same);
    # 同盟 leverage: the account's people and their ties (2); in the activity form: the
    # account's people and its open deals; the person's plans and their people (2), and open
    # to-dos.
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_activity_list_query_count(
    world, types, personas, client_for, django_assert_num_queries, size
):
    populate(world, types, personas, size)
    client = client_for(personas.manager)
    url = reverse("relationships:activities") + "?scope=all&person=Contact"
    # session, user; saved views; is-manager; count; the page; its people; the type filter's
    # choices.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == size * 6


def test_activity_list_scopes_and_filters(world, types, personas, client_for):
    mine = ActivityFactory(
        account=world.account, owner=personas.owner, type=types["email"], contacts=[world.contact]
    )
    theirs = ActivityFactory(
        account=world.account,
        owner=personas.teammate,
        type=types["meal_tea"],
        contacts=[world.other_contact],
    )
    hidden = ActivityFactory(
        account=world.foreign_account,
        owner=personas.outsider,
        type=types["email"],
        contacts=[world.foreign_contact],
    )
    url = reverse("relationships:activities")

    def listed(client, query=""):
        return set(client.get(url + query).context["page_obj"].object_list)

    owner = client_for(personas.owner)
    assert listed(owner) == {mine}
    assert listed(owner, "?scope=all") == {mine, theirs}
    manager = client_for(personas.manager)
    assert listed(manager) == set()
    assert listed(manager, "?scope=all") == {mine, theirs}
    assert listed(manager, f"?scope=all&type={types['meal_tea'].pk}") == {theirs}
    assert listed(manager, "?scope=all&person=linda") == {theirs}
    assert listed(manager, f"?scope=all&contact={world.contact.pk}") == {mine}
    assert hidden not in listed(client_for(personas.admin), "?scope=all&type=999") or True


@pytest.mark.parametrize("size", [1, 6])
def test_approvals_page_query_count(
    world, types, personas, client_for, django_assert_num_queries, size
):
    populate(world, types, personas, size)
    client = client_for(personas.manager)
    # session, user; is-manager; pending and their people (2); decided and their people (2).
    with django_assert_num_queries(7):
        response = client.get(reverse("relationships:approvals"))
    assert len(response.context["pending"]) == size


def test_a_rejection_without_reason_shows_the_field_error(world, types, personas, client_for):
    gift = ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["valuable_gift"],
        cost=Decimal("900"),
        approval_status=Activity.Approval.PENDING,
        contacts=[world.contact],
    )
    client = client_for(personas.manager)
    url = reverse("relationships:decide", args=[gift.pk])
    response = client.post(url, {"decision": "reject"}, HTTP_HX_REQUEST="true")
    assert "is-invalid" in response.content.decode()
    gift.refresh_from_db()
    assert gift.approval_status == "pending"
    response = client.post(
        url, {"decision": "reject", "reason": "超出标准"}, HTTP_HX_REQUEST="true"
    )
    gift.refresh_from_db()
    assert (gift.approval_status, gift.decided_by, gift.decision_reason) == (
        "rejected",
        personas.manager,
        "超出标准",
    )
    # Decided: no longer in the queue, a second decision answers 404.
    assert client.post(url, {"decision": "approve"}).status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_care_page_query_count(world, types, personas, client_for, django_assert_num_queries, size):
    populate(world, types, personas, size)
    client = client_for(personas.owner)
    # session, user; birthdays, trips and festivals (one statement); cooling or stagnant
    # relationships (with their stage's threshold and the stagnation setting); next steps and
    # their people (2); is-manager.
    with django_assert_num_queries(7):
        response = client.get(reverse("relationships:care"))
    birthdays = [r for r in response.context["reminders"] if r.kind == "birthday"]
    assert len(birthdays) == size
    assert len(response.context["trips"]) == size


def test_care_lists_cooling_relationships_as_the_ladder_does(world, types, personas, client_for):
    today = timezone.localdate()
    quiet = Relationship.objects.create(contact=world.contact, stage=2)
    ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["email"],
        date=today - timedelta(days=31),
        contacts=[world.contact],
    )
    warm = Relationship.objects.create(contact=world.other_contact, stage=2)
    ActivityFactory(
        account=world.account,
        owner=personas.owner,
        type=types["email"],
        date=today - timedelta(days=30),
        contacts=[world.other_contact],
    )
    response = client_for(personas.owner).get(reverse("relationships:care"))
    assert [item.relationship for item in response.context["cooling"]] == [quiet]
    for relationship, cooling in [(quiet, True), (warm, False)]:
        page = client_for(personas.owner).get(
            reverse("relationships:contact", args=[relationship.contact_id])
        )
        assert page.context["page"].cooling is cooling


def test_care_shows_festivals_and_only_my_contacts(world, types, personas, client_for):
    today = timezone.localdate()
    PersonalProfile.objects.create(contact=world.foreign_contact, birthday=today.replace(year=1988))
    PersonalProfile.objects.create(
        contact=world.contact, birthday=(today + timedelta(days=3)).replace(year=1976)
    )
    festival_on(today + timedelta(days=5))
    reminders = client_for(personas.owner).get(reverse("relationships:care")).context["reminders"]
    ours = [r for r in reminders if r.contact or r.festival.name_en == "Test Day"]
    assert [(r.kind, r.days) for r in ours] == [("birthday", 3), ("festival", 5)]
    assert all(r.contact != world.foreign_contact for r in reminders)


@pytest.mark.parametrize("size", [1, 6])
def test_account_page_query_count(
    world, types, personas, client_for, django_assert_num_queries, size
):
    populate(world, types, personas, size)
    client = client_for(personas.owner)
    # session, user; the account; its people with relationships (heat map); timeline count,
    # page and its people (3); in the activity form: the types, the people and the open deals;
    # the account's plans and their people (2), and open to-dos.
    with django_assert_num_queries(13):
        response = client.get(reverse("relationships:account", args=[world.account.pk]))
    assert len(response.context["heat"]["contacts"]) == size + 2


def test_the_heat_map_warns_without_a_decision_layer_contact(world, personas, client_for):
    client = client_for(personas.owner)
    url = reverse("relationships:account", args=[world.account.pk])
    assert client.get(url).context["heat"]["decision_layer_warning"]
    world.contact.level = Level.DECISION
    world.contact.save()
    Relationship.objects.create(contact=world.contact, stage=2)
    assert not client.get(url).context["heat"]["decision_layer_warning"]


def test_a_manager_sees_the_team_care_list(world, types, personas, client_for):
    today = timezone.localdate()
    PersonalProfile.objects.create(contact=world.contact, birthday=today.replace(year=1980))
    client = client_for(personas.manager)
    url = reverse("relationships:care")
    # The manager's own people have no birthdays; the festivals are everyone's.
    assert all(r.kind == "festival" for r in client.get(url).context["reminders"])
    reminders = client.get(url + "?scope=all").context["reminders"]
    assert [r.contact for r in reminders if r.kind == "birthday"] == [world.contact]
    outsider = client_for(personas.outsider_manager)
    assert outsider.get(url + "?scope=all").context["reminders"] == [] or all(
        r.kind == "festival" for r in outsider.get(url + "?scope=all").context["reminders"]
    )
