"""Merging two records of one person (issue 20): the relationship keeps the deeper stage and
all its evidence, deals count the person once with both records' roles, nothing typed is lost."""

import pytest
from django.urls import reverse

from accounts import merging
from accounts.models import Contact, ContactTie, Department, MergedContact, PersonalProfile
from opportunities.models import Stakeholder, StakeholderRole
from relationships.defaults import ensure_defaults
from relationships.models import (
    Activity,
    ActivityType,
    CoolingThreshold,
    Festival,
    Relationship,
    Stage,
    StageChange,
)
from tests.factories import AccountFactory, ContactFactory, RelationshipFactory
from tests.opportunities.factories import OpportunityFactory
from tests.relationships.factories import ActivityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(personas):
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    kind = ActivityType.objects.order_by("pk").first()
    account = AccountFactory(owner=personas.owner)
    boss = ContactFactory(account=account, name="孙浩")
    zhou = ContactFactory(account=account, name="周敏", mobile="13800138000", title="")
    copy = ContactFactory(
        account=account, name="周敏", email="zm@jnbank.cn", title="CFO", reports_to=boss
    )
    Department.objects.create(account=account, name="财务部", head=copy)
    kept = RelationshipFactory(contact=zhou, stage=Stage.INTERACTION, interest_points=["高尔夫"])
    deeper = RelationshipFactory(contact=copy, stage=Stage.TRUST, personal_needs="升职")
    StageChange.objects.create(
        relationship=deeper,
        from_stage=Stage.INTERACTION,
        to_stage=Stage.TRUST,
        changed_by=personas.owner,
    )
    PersonalProfile.objects.create(contact=copy, hometown="苏州", hobbies="钓鱼")
    ContactTie.objects.create(contact=zhou, other=copy, kind="friend")
    ContactTie.objects.create(contact=copy, other=boss, kind="friend")
    both = ActivityFactory(account=account, owner=personas.owner, type=kind, contacts=[zhou, copy])
    ActivityFactory(account=account, owner=personas.owner, type=kind, contacts=[copy])
    deal = OpportunityFactory(account=account, owner=personas.owner)
    mine = Stakeholder.objects.create(opportunity=deal, contact=zhou)
    StakeholderRole.objects.create(stakeholder=mine, role="user")
    theirs = Stakeholder.objects.create(opportunity=deal, contact=copy, notes="关键")
    StakeholderRole.objects.create(stakeholder=theirs, role="user")
    StakeholderRole.objects.create(stakeholder=theirs, role="decision_maker")
    return {"zhou": zhou, "copy": copy, "boss": boss, "kept": kept, "both": both, "deal": deal}


def test_the_person_comes_together(personas, people):
    zhou, copy = people["zhou"], people["copy"]
    old_pk = copy.pk
    merging.merge(zhou, copy, take=set(), user=personas.owner)
    assert not Contact.objects.filter(pk=old_pk).exists()
    zhou.refresh_from_db()
    assert (zhou.mobile, zhou.email, zhou.title) == ("+8613800138000", "zm@jnbank.cn", "CFO")
    assert zhou.reports_to == people["boss"]
    assert Department.objects.get(name="财务部").head == zhou
    assert PersonalProfile.objects.get(contact=zhou).hometown == "苏州"
    assert MergedContact.objects.get(old_pk=old_pk).survivor == zhou


def test_the_relationship_keeps_the_deeper_stage_and_all_evidence(personas, people):
    zhou = people["zhou"]
    merging.merge(zhou, people["copy"], take=set(), user=personas.owner)
    relationship = Relationship.objects.get(contact=zhou)
    assert relationship.pk == people["kept"].pk
    assert relationship.stage == Stage.TRUST
    assert relationship.personal_needs == "升职"
    assert relationship.interest_points == ["高尔夫"]
    assert StageChange.objects.filter(relationship=relationship).count() == 1
    assert Relationship.objects.count() == 1


def test_activities_and_deals_count_the_person_once(personas, people):
    zhou = people["zhou"]
    merging.merge(zhou, people["copy"], take=set(), user=personas.owner)
    assert list(people["both"].contacts.all()) == [zhou]
    assert Activity.objects.filter(contacts=zhou).count() == 2
    stakeholder = Stakeholder.objects.get(opportunity=people["deal"])
    assert stakeholder.contact == zhou and stakeholder.notes == "关键"
    assert sorted(stakeholder.roles.values_list("role", flat=True)) == ["decision_maker", "user"]


def test_a_tie_between_the_two_records_goes_and_the_others_stay(personas, people):
    zhou = people["zhou"]
    merging.merge(zhou, people["copy"], take=set(), user=personas.owner)
    assert list(ContactTie.objects.values_list("contact__name", "other__name")) == [
        ("周敏", "孙浩")
    ]


def test_only_a_person_of_the_same_account_is_offered_and_merged(client_for, personas, people):
    stranger = ContactFactory(account=AccountFactory(owner=personas.owner), name="周敏")
    url = reverse("accounts:contact_merge", args=[people["zhou"].pk, stranger.pk])
    assert client_for(personas.owner).get(url).status_code == 404
    pick = client_for(personas.owner).get(
        reverse("accounts:contact_merge_pick", args=[people["zhou"].pk])
    )
    assert [d.record for d in pick.context["duplicates"]] == [people["copy"]]
    assert stranger not in list(pick.context["people"])


def test_the_old_address_leads_to_the_survivor(client_for, personas, people):
    old = reverse("accounts:contact", args=[people["copy"].pk])
    url = reverse("accounts:contact_merge", args=[people["zhou"].pk, people["copy"].pk])
    client = client_for(personas.owner)
    assert client.post(url, {"title": "other"}).status_code == 302
    response = client.get(old)
    assert response.url == reverse("accounts:contact", args=[people["zhou"].pk])
    assert Contact.objects.get(pk=people["zhou"].pk).title == "CFO"


def test_an_opt_out_on_either_record_survives_the_merge(personas, people):
    from relationships.models import CommunicationPreference

    CommunicationPreference.objects.create(contact=people["zhou"], email_allowed=True)
    CommunicationPreference.objects.create(
        contact=people["copy"], email_allowed=False, reason="不要发邮件"
    )
    merging.merge(people["zhou"], people["copy"], take=set(), user=personas.owner)
    preference = CommunicationPreference.objects.get(contact=people["zhou"])
    assert preference.email_allowed is False and preference.sms_allowed is True
    assert preference.reason == "不要发邮件"
