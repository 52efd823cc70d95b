"""The permission matrix of every opportunity view: outsiders get 404, anonymous a login."""

import pytest
from django.urls import reverse

from opportunities.models import Opportunity, Stakeholder
from tests.factories import ContactFactory
from tests.opportunities.factories import StakeholderFactory

CAN_SEE = {
    "owner": True,
    "teammate": False,
    "manager": True,
    "outsider": False,
    "outsider_manager": False,
    "admin": True,
}


@pytest.fixture
def stakeholder(deal):
    return StakeholderFactory(opportunity=deal, roles=["user"])


def urls(deal, stakeholder):
    return {
        "detail": ("get", reverse("opportunities:detail", args=[deal.pk]), {}),
        "edit": ("get", reverse("opportunities:edit", args=[deal.pk]), {}),
        "outcome": ("get", reverse("opportunities:outcome", args=[deal.pk]), {}),
        "move": ("post", reverse("opportunities:move", args=[deal.pk]), {"to_move": "1"}),
        "stakeholder_add": ("get", reverse("opportunities:stakeholder_add", args=[deal.pk]), {}),
        "stakeholder_edit": (
            "get",
            reverse("opportunities:stakeholder_edit", args=[deal.pk, stakeholder.pk]),
            {},
        ),
    }


VIEWS = ["detail", "edit", "outcome", "move", "stakeholder_add", "stakeholder_edit"]


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("persona", list(CAN_SEE))
def test_every_deal_view_answers_404_to_those_who_cannot_see_the_deal(
    personas, client_for, deal, stakeholder, view, persona
):
    method, url, data = urls(deal, stakeholder)[view]
    response = getattr(client_for(getattr(personas, persona)), method)(url, data)
    if CAN_SEE[persona]:
        assert response.status_code in (200, 400)  # 400: moving to the current move
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_visitors_are_sent_to_sign_in(client, deal, stakeholder, view):
    method, url, data = urls(deal, stakeholder)[view]
    response = getattr(client, method)(url, data)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("persona", list(CAN_SEE))
def test_removing_a_stakeholder_needs_sight_of_the_deal(personas, client_for, deal, persona):
    stakeholder = StakeholderFactory(opportunity=deal)
    url = reverse("opportunities:stakeholder_remove", args=[deal.pk, stakeholder.pk])
    response = client_for(getattr(personas, persona)).post(url)
    assert response.status_code == (302 if CAN_SEE[persona] else 404)
    assert Stakeholder.objects.filter(pk=stakeholder.pk).exists() != CAN_SEE[persona]


def test_a_stakeholder_of_another_deal_is_404(personas, client_for, deal):
    from tests.opportunities.factories import OpportunityFactory

    other = StakeholderFactory(opportunity=OpportunityFactory(account=deal.account))
    url = reverse("opportunities:stakeholder_edit", args=[deal.pk, other.pk])
    assert client_for(personas.owner).get(url).status_code == 404


@pytest.mark.parametrize("persona", list(CAN_SEE))
@pytest.mark.parametrize("name", ["list", "board"])
def test_lists_show_only_visible_deals(personas, client_for, deal, persona, name):
    response = client_for(getattr(personas, persona)).get(reverse(f"opportunities:{name}"))
    assert response.status_code == 200
    assert (deal.name in response.content.decode()) == CAN_SEE[persona]


def test_the_create_page_opens_for_every_signed_in_user(personas, client_for):
    for persona in CAN_SEE:
        response = client_for(getattr(personas, persona)).get(reverse("opportunities:create"))
        assert response.status_code == 200


def test_people_an_account_is_shared_with_see_its_deals(personas, deal):
    deal.account.collaborators.add(personas.teammate)
    assert Opportunity.objects.visible_to(personas.teammate).filter(pk=deal.pk).exists()


def test_the_deals_owner_sees_it_even_when_the_account_belongs_to_someone_else(personas):
    from tests.opportunities.factories import OpportunityFactory

    deal = OpportunityFactory(account__owner=personas.teammate, owner=personas.owner)
    assert Opportunity.objects.visible_to(personas.owner).filter(pk=deal.pk).exists()


def test_a_rep_pressing_override_gets_a_refusal_listing_the_unmet_checks(
    personas, client_for, deal
):
    response = client_for(personas.owner).post(
        reverse("opportunities:move", args=[deal.pk]),
        {"to_move": "2", "override": "on", "reason": "trust me"},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="gate-panel"' in body
    assert "decision maker" in body.lower()
    deal.refresh_from_db()
    assert deal.move == 1


def test_a_manager_overrides_from_the_page(personas, client_for, deal):
    response = client_for(personas.manager).post(
        reverse("opportunities:move", args=[deal.pk]),
        {"to_move": "2", "override": "on", "reason": "Met the CEO myself"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("opportunities:detail", args=[deal.pk])
    deal.refresh_from_db()
    assert deal.move == 2


def test_the_override_box_is_shown_only_to_those_who_may_override(personas, client_for, deal):
    url = reverse("opportunities:detail", args=[deal.pk])
    assert 'name="override"' not in client_for(personas.owner).get(url).content.decode()
    assert 'name="override"' in client_for(personas.manager).get(url).content.decode()


def test_the_stakeholder_form_offers_only_the_accounts_contacts(personas, client_for, deal):
    mine = ContactFactory(account=deal.account, name="Mine")
    ContactFactory(name="Elsewhere")
    form = (
        client_for(personas.owner)
        .get(reverse("opportunities:stakeholder_add", args=[deal.pk]))
        .context["form"]
    )
    assert list(form.fields["contact"].queryset) == [mine]
