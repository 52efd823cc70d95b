"""Forms reject bad input with field-level messages, and nothing is written on error."""

import datetime

import pytest
from django.utils import translation

from accounts.forms import (
    AccountForm,
    CompetitorPresenceForm,
    ContactForm,
    ContactTieForm,
    DepartmentForm,
    DepartmentRelationForm,
    InstalledProductForm,
    PersonalProfileForm,
)
from accounts.models import Account, Competitor, CompetitorPresence, Contact, Department
from crm.concurrency import version_of
from tests.factories import AccountFactory, CompetitorFactory, ContactFactory, DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def elsewhere(personas):
    """An account of the same owner: visible, but not the account being edited."""
    return AccountFactory(owner=personas.owner, name="Elsewhere")


def account_data(**overrides):
    return {"name": "Evergreen Logistics", "status": "target", **overrides}


def test_a_new_account_belongs_to_its_creator_by_default(personas):
    form = AccountForm(user=personas.owner)
    assert form.fields["owner"].initial == personas.owner.pk


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"revenue": "-1"}, "revenue", "greater than or equal to 0"),
        (
            {"year_established": str(datetime.date.today().year + 1)},
            "year_established",
            "cannot be in the future",
        ),
        ({"year_established": "1700"}, "year_established", "greater than or equal to 1800"),
        ({"website": "not a url"}, "website", "valid URL"),
        ({"name": ""}, "name", "required"),
    ],
)
def test_account_form_rejects_bad_input(personas, overrides, field, message):
    data = account_data(owner=personas.owner.pk, **overrides)
    form = AccountForm(data, user=personas.owner)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    assert not Account.objects.exists()


def test_a_rep_cannot_give_an_account_to_someone_they_cannot_see(personas):
    form = AccountForm(account_data(owner=personas.outsider.pk), user=personas.owner)
    assert not form.is_valid()
    assert "owner" in form.errors


def test_a_rep_can_share_with_a_teammate_but_not_with_another_team(personas):
    choices = set(AccountForm(user=personas.owner).fields["collaborators"].queryset)
    assert personas.teammate in choices
    assert personas.manager in choices
    assert personas.outsider not in choices
    form = AccountForm(
        account_data(owner=personas.owner.pk, collaborators=[personas.outsider.pk]),
        user=personas.owner,
    )
    assert not form.is_valid()
    assert "collaborators" in form.errors


def test_a_collaborator_cannot_change_the_owner_or_the_sharing(personas):
    account = AccountFactory(owner=personas.owner)
    account.collaborators.add(personas.teammate)
    form = AccountForm(
        account_data(owner=personas.teammate.pk, collaborators=[], version=version_of(account)),
        instance=account,
        user=personas.teammate,
    )
    assert form.fields["owner"].disabled
    assert form.is_valid(), form.errors
    form.save()
    account.refresh_from_db()
    assert account.owner == personas.owner
    assert list(account.collaborators.all()) == [personas.teammate]


def test_an_account_cannot_be_its_own_parent_through_a_chain(personas):
    parent = AccountFactory(owner=personas.owner, name="Parent")
    child = AccountFactory(owner=personas.owner, name="Child", parent=parent)
    form = AccountForm(
        account_data(name="Parent", owner=personas.owner.pk, parent=child.pk),
        instance=parent,
        user=personas.owner,
    )
    assert not form.is_valid()
    assert "own parent" in form.errors["parent"][0]


def test_a_stale_form_is_refused(personas):
    account = AccountFactory(owner=personas.owner)
    shown = AccountForm(instance=account, user=personas.owner)["version"].value()
    Account.objects.filter(pk=account.pk).update(
        updated_at=account.updated_at + datetime.timedelta(seconds=5)
    )
    account.refresh_from_db()
    form = AccountForm(
        account_data(owner=personas.owner.pk, version=shown), instance=account, user=personas.owner
    )
    assert not form.is_valid()
    assert "Someone else saved this record" in form.non_field_errors()[0]


# --- contacts -------------------------------------------------------------------------------


def contact_data(**overrides):
    return {
        "name": "林珊",
        "function": "technical",
        "level": "operational",
        "is_active": "on",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"guide_type": "technical"}, "guide_type", "Only a guide has a guide type"),
        ({"guide_since": "2025-01-01"}, "guide_since", "Only a guide"),
        ({"email": "nope"}, "email", "valid email"),
        ({"level": "boss"}, "level", "valid choice"),
    ],
)
def test_contact_form_rejects_bad_input(account, overrides, field, message):
    form = ContactForm(contact_data(**overrides), account=account)
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])
    assert not Contact.objects.exists()


def test_a_contact_cannot_report_to_someone_at_another_account(account, elsewhere):
    stranger = ContactFactory(account=elsewhere)
    form = ContactForm(contact_data(reports_to=stranger.pk), account=account)
    assert not form.is_valid()
    assert form.errors["reports_to"] == ["Choose someone at the same account."]
    assert not Contact.objects.filter(account=account).exists()


def test_a_contact_cannot_join_a_department_of_another_account(account, elsewhere):
    department = DepartmentFactory(account=elsewhere)
    form = ContactForm(contact_data(department=department.pk), account=account)
    assert not form.is_valid()
    assert form.errors["department"] == ["Choose a department of the same account."]


def test_reporting_lines_cannot_loop(account):
    boss = ContactFactory(account=account, name="Boss")
    deputy = ContactFactory(account=account, name="Deputy", reports_to=boss)
    form = ContactForm(
        contact_data(name="Boss", reports_to=deputy.pk), instance=boss, account=account
    )
    assert not form.is_valid()
    assert "loop" in form.errors["reports_to"][0]
    boss.refresh_from_db()
    assert boss.reports_to is None


def test_a_contact_cannot_report_to_themself(account, contact):
    form = ContactForm(contact_data(reports_to=contact.pk), instance=contact, account=account)
    assert not form.is_valid()
    assert "reports_to" in form.errors


def test_a_guide_with_a_type_is_accepted(account):
    form = ContactForm(
        contact_data(is_guide="on", guide_type="relationship", guide_since="2025-03-01"),
        account=account,
    )
    assert form.is_valid(), form.errors
    contact = form.save()
    assert contact.account == account and contact.is_guide


# --- departments, relations, ties -----------------------------------------------------------


def test_a_department_head_must_be_at_the_same_account(account, elsewhere):
    stranger = ContactFactory(account=elsewhere)
    form = DepartmentForm(
        {"name": "IT", "function": "technical", "head": stranger.pk}, account=account
    )
    assert not form.is_valid()
    assert form.errors["head"] == ["Choose someone at the same account."]
    assert not Department.objects.filter(account=account).exists()


def test_a_parent_department_must_be_at_the_same_account(account, elsewhere):
    other = DepartmentFactory(account=elsewhere)
    form = DepartmentForm(
        {"name": "IT", "function": "technical", "parent": other.pk}, account=account
    )
    assert not form.is_valid()
    assert "parent" in form.errors


def test_department_names_are_unique_per_account(account, elsewhere):
    DepartmentFactory(account=account, name="IT")
    DepartmentFactory(account=elsewhere, name="Finance")
    assert not DepartmentForm({"name": "IT", "function": "other"}, account=account).is_valid()
    assert DepartmentForm({"name": "Finance", "function": "other"}, account=account).is_valid()


def test_departments_cannot_report_in_a_loop(account):
    top = DepartmentFactory(account=account, name="Top")
    DepartmentFactory(account=account, name="Below", parent=top)
    below = Department.objects.get(name="Below")
    form = DepartmentForm(
        {"name": "Top", "function": "other", "parent": below.pk}, instance=top, account=account
    )
    assert not form.is_valid()
    assert "parent" in form.errors


def test_a_department_relation_needs_two_departments_of_the_account(account, elsewhere):
    it = DepartmentFactory(account=account)
    foreign = DepartmentFactory(account=elsewhere)
    same = DepartmentRelationForm(
        {"source": it.pk, "target": it.pk, "kind": "constrains"}, account=account
    )
    assert not same.is_valid()
    assert "target" in same.errors
    cross = DepartmentRelationForm(
        {"source": it.pk, "target": foreign.pk, "kind": "constrains"}, account=account
    )
    assert cross.errors["target"] == ["Choose a department of the same account."]


def test_a_tie_needs_two_different_contacts_of_the_account(account, contact, elsewhere):
    self_tie = ContactTieForm(
        {"contact": contact.pk, "other": contact.pk, "kind": "friend"}, account=account
    )
    assert not self_tie.is_valid()
    assert "own friend or rival" in self_tie.errors["other"][0]
    stranger = ContactFactory(account=elsewhere)
    cross = ContactTieForm(
        {"contact": contact.pk, "other": stranger.pk, "kind": "rival"}, account=account
    )
    assert cross.errors["other"] == ["Choose someone at the same account."]


# --- installed base, competitors, profile -----------------------------------------------------


def test_a_competitor_product_must_be_marked_as_a_competitors(account):
    competitor = CompetitorFactory()
    form = InstalledProductForm(
        {"purpose": "ERP", "brand": "SAP", "vendor": "ours", "competitor": competitor.pk},
        account=account,
    )
    assert not form.is_valid()
    assert "vendor" in form.errors


def test_a_new_competitor_is_added_to_the_catalogue_with_its_presence(account):
    form = CompetitorPresenceForm(
        {"new_competitor": "金蝶 Kingdee", "rep_relationship": "weak"}, account=account
    )
    assert form.is_valid(), form.errors
    presence = form.save()
    assert presence.competitor.name == "金蝶 Kingdee"
    assert presence.account == account


def test_a_competitor_is_recorded_once_per_account(account):
    competitor = CompetitorFactory(name="SAP")
    CompetitorPresence.objects.create(account=account, competitor=competitor)
    for data in ({"competitor": competitor.pk}, {"new_competitor": "sap"}):
        form = CompetitorPresenceForm({**data, "rep_relationship": "unknown"}, account=account)
        assert not form.is_valid()
        assert "already recorded" in str(form.errors)
    assert Competitor.objects.count() == 1


def test_a_presence_needs_a_competitor(account):
    form = CompetitorPresenceForm({"rep_relationship": "unknown"}, account=account)
    assert not form.is_valid()
    assert "competitor" in form.errors


def test_a_birthday_cannot_be_in_the_future(contact):
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    form = PersonalProfileForm({"birthday": tomorrow.isoformat()})
    form.instance.contact = contact
    assert not form.is_valid()
    assert "birthday" in form.errors
