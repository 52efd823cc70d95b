"""Merging two accounts (issue 20): every child moves, the chosen values stay, nothing typed is
lost, the old address redirects, and both histories say so."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts import merging
from accounts.models import (
    Account,
    CompetitorPresence,
    Contact,
    Department,
    InstalledProduct,
    MergedAccount,
    PurchasePlan,
)
from opportunities.models import Opportunity
from relationships.defaults import ensure_defaults
from relationships.models import Activity, ActivityType, CoolingThreshold, Festival
from relationships.planning.models import PlannedActivity, Todo
from tests.factories import (
    AccountFactory,
    CompetitorFactory,
    ContactFactory,
    DepartmentFactory,
)
from tests.opportunities.factories import OpportunityFactory
from tests.relationships.factories import ActivityFactory, PlannedActivityFactory, TodoFactory

pytestmark = pytest.mark.django_db


def test_every_relation_to_an_account_is_handled():
    """A new model pointing at Account must say how a merge moves it (accounts.merging)."""
    for model in (Account, Contact):
        found = {(label, name) for label, name, _r in merging.relations(model)}
        assert found == set(merging.CHILDREN[model]), model


@pytest.fixture
def pair(personas):
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    kind = ActivityType.objects.order_by("pk").first()
    survivor = AccountFactory(owner=personas.owner, name="江南银行", phone="", notes="总行")
    other = AccountFactory(
        owner=personas.owner,
        name="江南银行股份有限公司",
        phone="0512-6666 8888",
        industry="Banking",
        notes="苏州分行的联系",
    )
    other.collaborators.add(personas.teammate)
    DepartmentFactory(account=survivor, name="信息科技部")
    DepartmentFactory(account=other, name="信息科技部")
    DepartmentFactory(account=other, name="采购部")
    rival = CompetitorFactory(name="IBM")
    CompetitorPresence.objects.create(account=survivor, competitor=rival, notes="主机")
    CompetitorPresence.objects.create(account=other, competitor=rival, notes="存储")
    CompetitorPresence.objects.create(account=other, competitor=CompetitorFactory(name="华为"))
    InstalledProduct.objects.create(account=other, purpose="ERP", brand="SAP")
    PurchasePlan.objects.create(account=other, title="数据中心")
    person = ContactFactory(account=other, name="周敏")
    ActivityFactory(account=other, owner=personas.owner, type=kind, contacts=[person])
    PlannedActivityFactory(account=other, owner=personas.owner, type=kind)
    TodoFactory(account=other, owner=personas.owner)
    OpportunityFactory(account=other, owner=personas.owner, name="核心系统")
    AccountFactory(owner=personas.owner, name="江南理财", parent=other)
    return survivor, other


def test_everything_moves_to_the_survivor(personas, pair):
    survivor, other = pair
    old_pk = other.pk
    merging.merge(survivor, other, take=set(), user=personas.manager)
    assert not Account.objects.filter(pk=old_pk).exists()
    assert Contact.objects.get(name="周敏").account == survivor
    for model in (InstalledProduct, PurchasePlan, Activity, PlannedActivity, Todo, Opportunity):
        assert model.objects.filter(account=survivor).count() == 1, model
    assert Account.objects.get(name="江南理财").parent == survivor
    assert set(survivor.collaborators.all()) == {personas.teammate}
    record = MergedAccount.objects.get(old_pk=old_pk)
    assert record.survivor == survivor and record.merged_by == personas.manager
    assert record.moved["accounts.Contact"] == 1


def test_conflicts_keep_what_both_recorded(personas, pair):
    survivor, other = pair
    merging.merge(survivor, other, take=set(), user=personas.manager)
    names = sorted(Department.objects.filter(account=survivor).values_list("name", flat=True))
    assert names == ["信息科技部", "采购部"]  # one name, one department
    presences = CompetitorPresence.objects.filter(account=survivor)
    assert presences.count() == 2
    assert presences.get(competitor__name="IBM").notes == "主机\n\n存储"


def test_chosen_values_stay_and_empty_ones_are_filled(personas, pair):
    survivor, other = pair
    merged = merging.merge(survivor, other, take={"name"}, user=personas.manager)
    merged.refresh_from_db()
    assert merged.name == "江南银行股份有限公司"  # taken from the other
    assert merged.phone == "+8651266668888"  # empty on the survivor: filled
    assert merged.industry == "Banking"
    assert merged.notes == "总行\n\n苏州分行的联系"  # notes from both


def test_both_histories_record_the_merge(personas, pair):
    survivor, other = pair
    old_pk = other.pk
    with translation.override("en"):
        merging.merge(survivor, other, take=set(), user=personas.manager)
    assert "merged with" in survivor.history.first().history_change_reason
    last = Account.history.filter(id=old_pk).order_by("-history_date").first()
    assert last.history_type == "-" and "merged into" in last.history_change_reason


def test_the_old_address_leads_to_the_survivor(client_for, personas, pair):
    survivor, other = pair
    old = reverse("accounts:detail", args=[other.pk])
    merging.merge(survivor, other, take=set(), user=personas.manager)
    response = client_for(personas.owner).get(old)
    assert response.status_code == 302 and response.url == reverse(
        "accounts:detail", args=[survivor.pk]
    )
    assert client_for(personas.outsider).get(old).status_code == 404


def test_a_survivor_merged_again_takes_its_redirects_along(personas, pair):
    survivor, other = pair
    old_pk = other.pk
    merging.merge(survivor, other, take=set(), user=personas.manager)
    third = AccountFactory(owner=personas.owner, name="江南银行总行")
    merging.merge(third, survivor, take=set(), user=personas.manager)
    assert MergedAccount.objects.get(old_pk=old_pk).survivor == third


def test_an_account_is_not_merged_into_itself(personas, pair):
    with pytest.raises(ValueError):
        merging.merge(pair[0], pair[0], take=set(), user=personas.manager)


def test_the_merge_page_posts_the_choices(client_for, personas, pair):
    survivor, other = pair
    url = reverse("accounts:merge", args=[survivor.pk, other.pk])
    client = client_for(personas.manager)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "Contacts: 1" in page.content.decode() or "contacts: 1" in page.content.decode()
    rows = {name for name, *_ in page.context["rows"]}
    assert {"name", "phone", "industry", "notes"} <= rows
    response = client.post(url, {"name": "other", "phone": "other"})
    assert response.status_code == 302
    assert Account.objects.get(pk=survivor.pk).name == "江南银行股份有限公司"


def test_the_pick_page_offers_the_likely_duplicates(client_for, personas, pair):
    survivor, other = pair
    page = client_for(personas.owner).get(reverse("accounts:merge_pick", args=[survivor.pk]))
    assert [d.record for d in page.context["duplicates"]] == [other]
    found = client_for(personas.owner).get(
        reverse("accounts:merge_pick", args=[survivor.pk]), {"q": "股份"}
    )
    assert found.context["matches"] == [other]


@pytest.mark.parametrize("size", [1, 6])
def test_the_merge_page_costs_a_fixed_number_of_queries(
    client_for, personas, django_assert_num_queries, size
):
    survivor = AccountFactory(owner=personas.owner)
    other = AccountFactory(owner=personas.owner, industry="Banking")
    ContactFactory.create_batch(size, account=other)
    OpportunityFactory.create_batch(size, account=other, owner=personas.owner)
    client = client_for(personas.owner)
    url = reverse("accounts:merge", args=[survivor.pk, other.pk])
    client.get(url)
    # session, user; the two accounts; what moves (one count per kind of child, unioned).
    with django_assert_num_queries(5):
        client.get(url)
