"""Move 6 after the sale on the opportunity page (METHOD.md §8.2): recording the satisfaction
check and the referral (field-level refusals, nothing half-written), the prompts, both
languages, and the page's queries with few and many records."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.models import AftersaleSetting, Receipt, Referral, SatisfactionCheck
from opportunities.moves import services as move_services
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.moves_factories import won_deal_with_milestones
from tests.opportunities.test_views_queries import DETAIL_QUERIES, LIST_QUERIES, count, make_deals

pytestmark = pytest.mark.django_db


def satisfaction(deal, contact, **data):
    today = timezone.localdate().isoformat()
    return {"answered_by": contact.pk, "score": "5", "remarks": "", "checked_on": today, **data}


def collect_everything(deal):
    for milestone in deal.payment_milestones.all():
        due = milestone.amount - milestone.received_so_far()
        if due:
            Receipt.objects.create(milestone=milestone, amount=due)
    move_services.refresh_collection(deal)


@pytest.fixture
def won(personas):
    return won_deal_with_milestones(personas.owner)


def test_the_owner_records_a_satisfaction_check(personas, client_for, won):
    contact = ContactFactory(account=won.account)
    url = reverse("opportunities:satisfaction_new", args=[won.pk])
    response = client_for(personas.owner).post(url, satisfaction(won, contact, remarks="ok"))
    assert response.status_code == 302
    check = SatisfactionCheck.objects.get()
    assert (check.opportunity, check.answered_by, check.score, check.recorded_by) == (
        won,
        contact,
        5,
        personas.owner,
    )
    assert check.checked_on == timezone.localdate()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"score": "6"}, "score"),
        ({"score": "0"}, "score"),
        ({"score": ""}, "score"),
        ({"answered_by": ""}, "answered_by"),
        ({"checked_on": "2999-01-01"}, "checked_on"),
        ({"checked_on": "2026-02-30"}, "checked_on"),
        ({"checked_on": ""}, "checked_on"),
    ],
)
def test_bad_satisfaction_input_gets_a_field_message(personas, client_for, won, data, field):
    contact = ContactFactory(account=won.account)
    url = reverse("opportunities:satisfaction_new", args=[won.pk])
    response = client_for(personas.owner).post(url, satisfaction(won, contact, **data))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not SatisfactionCheck.objects.exists()


def test_the_person_must_work_at_the_customer(personas, client_for, won):
    stranger = ContactFactory(account=AccountFactory(owner=personas.owner))
    url = reverse("opportunities:satisfaction_new", args=[won.pk])
    response = client_for(personas.owner).post(url, satisfaction(won, stranger))
    assert "answered_by" in response.context["form"].errors
    assert not SatisfactionCheck.objects.exists()


def test_no_satisfaction_check_before_the_contract(personas, client_for, deal):
    contact = ContactFactory(account=deal.account)
    url = reverse("opportunities:satisfaction_new", args=[deal.pk])
    response = client_for(personas.owner).post(url, satisfaction(deal, contact))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not SatisfactionCheck.objects.exists()


def test_a_referral_names_an_account_or_a_contact(personas, client_for, won):
    url = reverse("opportunities:referral_new", args=[won.pk])
    client = client_for(personas.owner)
    refused = client.post(url, {"note": "their sister company"})
    assert refused.status_code == 400
    assert "referred_account" in refused.context["form"].errors
    other = AccountFactory(owner=personas.owner, name="Sister Co")
    person = ContactFactory(account=other)
    assert (
        client.post(url, {"referred_account": other.pk, "referred_contact": person.pk}).status_code
        == 302
    )
    referral = Referral.objects.get()
    assert (referral.opportunity, referral.referred_account, referral.referred_contact) == (
        won,
        other,
        person,
    )
    assert referral.recorded_by == personas.owner
    assert list(other.referred_by.all()) == [referral]  # linked back to the deal it came from


def test_a_referral_contact_must_work_at_the_named_account(personas, client_for, won):
    url = reverse("opportunities:referral_new", args=[won.pk])
    other = AccountFactory(owner=personas.owner)
    elsewhere = ContactFactory(account=AccountFactory(owner=personas.owner))
    response = client_for(personas.owner).post(
        url, {"referred_account": other.pk, "referred_contact": elsewhere.pk}
    )
    assert "referred_contact" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_a_crafted_referral_cannot_point_at_another_teams_account(personas, client_for, won):
    hidden = AccountFactory(owner=personas.outsider)
    url = reverse("opportunities:referral_new", args=[won.pk])
    response = client_for(personas.owner).post(url, {"referred_account": hidden.pk})
    assert "referred_account" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_an_outsider_gets_404_and_writes_nothing(personas, client_for, won):
    contact = ContactFactory(account=won.account)
    url = reverse("opportunities:satisfaction_new", args=[won.pk])
    assert client_for(personas.outsider).post(url, satisfaction(won, contact)).status_code == 404
    assert not SatisfactionCheck.objects.exists()


def page(client, deal, language="en"):
    url = reverse("opportunities:detail", args=[deal.pk])
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "After the sale: satisfaction and referrals"),
        ("zh-hans", "售后：满意度与转介绍"),
    ],
)
def test_the_section_asks_for_the_check_then_for_a_referral(
    personas, client_for, won, language, text
):
    client = client_for(personas.owner)
    body = page(client, won, language)
    assert text in body
    assert 'data-prompt="satisfaction"' in body and 'data-prompt="referral"' not in body
    contact = ContactFactory(account=won.account)
    SatisfactionCheck.objects.create(
        opportunity=won, answered_by=contact, score=4, recorded_by=personas.owner
    )
    body = page(client, won, language)
    assert 'data-prompt="satisfaction"' not in body
    assert 'data-prompt="referral"' not in body  # money still due
    collect_everything(won)
    assert 'data-prompt="referral"' in page(client, won, language)
    AftersaleSetting.objects.create(referral_score=5)  # the threshold is the admin's
    assert 'data-prompt="referral"' not in page(client, won, language)
    AftersaleSetting.objects.update(referral_score=4)
    Referral.objects.create(
        opportunity=won, referred_account=AccountFactory(), recorded_by=personas.owner
    )
    assert 'data-prompt="referral"' not in page(client, won, language)


def test_an_open_deal_has_no_after_sale_section(personas, client_for, deal):
    assert 'id="after-sale"' not in page(client_for(personas.owner), deal)


def grow(deal, owner, n):
    contact = ContactFactory(account=deal.account)
    for i in range(n):
        SatisfactionCheck.objects.create(
            opportunity=deal, answered_by=contact, score=1 + i % 5, recorded_by=owner
        )
        Referral.objects.create(
            opportunity=deal,
            referred_account=AccountFactory(owner=owner),
            referred_contact=ContactFactory(account=deal.account),
            recorded_by=owner,
        )


# The won deal's page: the open deal's (test_views_queries.DETAIL_QUERIES) plus the checks
# (+who answered) and the referrals (+account, contact); the after-sale setting comes with the
# deal's row.
WON_EXTRA = 2  # also counted in test_views_moves.FULL_DETAIL_QUERIES


def test_the_won_deals_page_queries_do_not_grow_with_checks_and_referrals(
    personas, client_for, deal
):
    client = client_for(personas.owner)
    url = reverse("opportunities:detail", args=[deal.pk])
    count(client, url)
    open_deal = count(client, url)
    assert open_deal == DETAIL_QUERIES
    won = won_deal_with_milestones(personas.owner, amount=Decimal(1000))
    url = reverse("opportunities:detail", args=[won.pk])
    grow(won, personas.owner, 1)
    count(client, url)
    small = count(client, url)
    grow(won, personas.owner, 12)
    assert count(client, url) == small == DETAIL_QUERIES + WON_EXTRA
    assert 'id="after-sale"' in client.get(url).content.decode()


def test_the_list_sorted_by_effort_costs_one_query_more(personas, client_for):
    client = client_for(personas.manager)
    url = reverse("opportunities:list") + "?sort=-effort"
    make_deals(personas.owner, 3)
    small = count(client, url)
    make_deals(personas.owner, 12)
    assert count(client, url) == small == LIST_QUERIES + 1  # the effort weights


def test_even_an_admin_refers_only_to_what_the_deals_owner_may_see(personas, client_for, won):
    theirs = AccountFactory(owner=personas.outsider)
    url = reverse("opportunities:referral_new", args=[won.pk])
    response = client_for(personas.admin).post(url, {"referred_account": theirs.pk})
    assert "referred_account" in response.context["form"].errors
    assert not Referral.objects.exists()
