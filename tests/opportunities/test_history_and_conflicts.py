"""Who changed what: history on each record's page; the second of two concurrent edits refused
through the view with what changed and the input kept; guarded deletes; deals whose account
is unknown."""

import datetime

import pytest
from django.contrib.admin.sites import site
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Account, Contact
from opportunities.models import Opportunity
from relationships.models import Relationship
from tests.factories import AccountFactory, ContactFactory
from tests.opportunities.factories import OpportunityFactory, ProductFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"  # requests without Accept-Language get English
    with translation.override("en"):
        yield


def edit_data(deal, product, **changes):
    data = {
        "name": deal.name,
        "account": deal.account_id,
        "owner": deal.owner_id,
        "source": "",
        "expected_close_date": deal.expected_close_date.isoformat(),
        "next_step": deal.next_step,
        "next_step_date": deal.next_step_date.isoformat(),
        "budget_status": deal.budget_status,
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-0-product": product.pk,
        "items-0-quantity": "1",
        "items-0-unit_price": "100",
        "items-0-discount_percent": "0",
    }
    data.update(changes)
    return data


def test_the_second_of_two_concurrent_edits_is_refused_through_the_view(personas, client_for):
    deal = OpportunityFactory(account__owner=personas.owner, name="ERP upgrade")
    product = ProductFactory()
    url = reverse("opportunities:edit", args=[deal.pk])
    alice, bob = client_for(personas.owner), None
    version = alice.get(url).context["form"]["version"].value()  # both open the page
    alice_data = edit_data(deal, product, next_step="Send the quote", version=version)
    bob_data = edit_data(deal, product, name="ERP upgrade phase 2", version=version)

    assert alice.post(url, alice_data).status_code == 302
    bob = client_for(personas.manager)
    response = bob.post(url, bob_data)

    assert response.status_code == 200  # refused, shown again
    form = response.context["form"]
    assert "Someone else saved this record" in str(form.non_field_errors())
    page = response.content.decode()
    assert "What changed meanwhile" in page
    assert "“Call the CFO” → “Send the quote”" in page  # what Alice changed
    assert form["name"].value() == "ERP upgrade phase 2"  # Bob's input is kept
    assert form["next_step"].value() == "Send the quote"  # a field he left shows hers
    deal.refresh_from_db()
    assert (deal.name, deal.next_step) == ("ERP upgrade", "Send the quote")

    again = {**bob_data, "next_step": "Send the quote", "version": form["version"].value()}
    assert bob.post(url, again).status_code == 302  # an informed second save goes through
    deal.refresh_from_db()
    assert (deal.name, deal.next_step) == ("ERP upgrade phase 2", "Send the quote")


def test_a_stale_account_form_lists_the_other_persons_change(personas, client_for):
    account = AccountFactory(owner=personas.owner, name="Acme", industry="bank")
    url = reverse("accounts:edit", args=[account.pk])
    client = client_for(personas.owner)
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in ("name", "status", "owner", "version")}
    data["industry"] = "insurance"
    changed = Account.objects.get(pk=account.pk)
    changed.industry = "finance"
    changed.save()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "“bank” → “finance”" in response.content.decode()
    assert Account.objects.get(pk=account.pk).industry == "finance"


def test_each_change_is_recorded_and_shown_with_old_and_new(personas, client_for):
    deal = OpportunityFactory(account__owner=personas.owner, next_step="Call the CFO")
    deal.next_step = "Visit the plant"
    deal.save()
    assert deal.history.count() == 2
    url = reverse("opportunities:changes", args=["opportunity", deal.pk])
    response = client_for(personas.owner).get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Call the CFO" in page and "Visit the plant" in page
    assert "All versions" not in page  # restoring is for admins
    admin_page = client_for(personas.admin).get(url).content.decode()
    assert reverse("admin:opportunities_opportunity_history", args=[deal.pk]) in admin_page


def test_relationship_changes_show_on_the_relationship_page(personas, client_for):
    contact = ContactFactory(account=AccountFactory(owner=personas.owner))
    relationship = Relationship.objects.create(contact=contact, stage=1)
    relationship.personality = "owl"
    relationship.save()
    url = reverse("opportunities:changes", args=["relationship", contact.pk])
    page = client_for(personas.owner).get(url).content.decode()
    assert "owl" in page.lower()


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("manager", 200), ("admin", 200), ("teammate", 404), ("outsider", 404)],
)
def test_history_answers_404_to_those_who_cannot_see_the_record(personas, client_for, who, status):
    deal = OpportunityFactory(account__owner=personas.owner)
    contact = ContactFactory(account=deal.account)
    client = client_for(getattr(personas, who))
    assert (
        client.get(reverse("opportunities:changes", args=["opportunity", deal.pk])).status_code
        == status
    )
    assert (
        client.get(reverse("opportunities:changes", args=["relationship", contact.pk])).status_code
        == status
    )


def test_history_of_an_unknown_kind_is_404(personas, client_for):
    response = client_for(personas.admin).get(reverse("opportunities:changes", args=["user", 1]))
    assert response.status_code == 404


def test_an_admin_restores_a_previous_version(personas, client_for):
    deal = OpportunityFactory(account__owner=personas.owner, name="Original")
    deal.name = "Renamed"
    deal.save()
    first = deal.history.order_by("history_date").first()
    client = client_for(personas.admin)
    url = reverse(
        "admin:opportunities_opportunity_simple_history", args=[deal.pk, first.history_id]
    )
    form = client.get(url)
    assert form.status_code == 200
    assert "Original" in form.content.decode()


# --- deleting ------------------------------------------------------------------------------------


def test_an_account_with_opportunities_cannot_be_deleted_in_admin(personas, client_for):
    deal = OpportunityFactory(account__owner=personas.owner)
    client = client_for(personas.admin)
    url = reverse("admin:accounts_account_delete", args=[deal.account_id])
    response = client.get(url)
    assert "cannot be deleted, so that no deal is lost" in response.content.decode()
    client.post(url, {"post": "yes"})
    assert Account.objects.filter(pk=deal.account_id).exists()


def test_archiving_keeps_the_account_and_records_it(personas, client_for):
    deal = OpportunityFactory(account__owner=personas.owner)
    client = client_for(personas.admin)
    client.post(
        reverse("admin:accounts_account_changelist"),
        {"action": "archive", "_selected_action": [deal.account_id]},
    )
    account = Account.objects.get(pk=deal.account_id)
    assert account.status == "dormant"
    assert account.history.first().history_user == personas.admin


def test_a_deletion_is_recorded_in_history(personas):
    contact = ContactFactory(account=AccountFactory(owner=personas.owner), name="Gone")
    pk = contact.pk
    contact.delete()
    assert Contact.history.filter(id=pk, history_type="-").exists()


def test_every_historied_model_uses_the_history_admin():
    from simple_history.admin import SimpleHistoryAdmin

    for model, admin in site._registry.items():
        if hasattr(model, "history") and hasattr(model.history, "model"):
            assert isinstance(admin, SimpleHistoryAdmin), model


# --- an imported deal whose account is unknown ---------------------------------------------------


@pytest.fixture
def orphan(personas):
    return Opportunity.objects.create(
        owner=personas.owner,
        name="GTX Pro · X1",
        external_id="X1",
        next_step="Review this imported opportunity",
        next_step_date=TODAY,
    )


@pytest.mark.parametrize(
    ("who", "status"),
    [("owner", 200), ("manager", 200), ("admin", 200), ("teammate", 404), ("outsider", 404)],
)
def test_a_deal_without_an_account_is_seen_through_its_owner(
    personas, client_for, orphan, who, status
):
    response = client_for(getattr(personas, who)).get(
        reverse("opportunities:detail", args=[orphan.pk])
    )
    assert response.status_code == status
    if status == 200:
        assert "account unknown — assign one" in response.content.decode()


def test_the_list_and_board_show_the_unknown_account(personas, client_for, orphan):
    client = client_for(personas.owner)
    assert "account unknown" in client.get(reverse("opportunities:list")).content.decode()
    assert "account unknown" in client.get(reverse("opportunities:board")).content.decode()


def test_assigning_an_account_needs_one_and_a_close_date(personas, client_for, orphan):
    product = ProductFactory()
    url = reverse("opportunities:edit", args=[orphan.pk])
    client = client_for(personas.owner)
    version = client.get(url).context["form"]["version"].value()
    data = {
        "name": orphan.name,
        "owner": personas.owner.pk,
        "next_step": orphan.next_step,
        "next_step_date": TODAY.isoformat(),
        "budget_status": "unknown",
        "version": version,
        "items-TOTAL_FORMS": "0",
        "items-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert {"account", "expected_close_date"} <= set(response.context["form"].errors)
    account = AccountFactory(owner=personas.owner)
    data.update(
        account=account.pk, expected_close_date=(TODAY + datetime.timedelta(30)).isoformat()
    )
    assert client.post(url, data).status_code == 302
    orphan.refresh_from_db()
    assert orphan.account == account
    assert product  # the catalogue exists; no line item needed to assign the account


def test_no_stakeholder_can_join_while_the_account_is_unknown(personas, client_for, orphan):
    response = client_for(personas.owner).get(
        reverse("opportunities:stakeholder_add", args=[orphan.pk])
    )
    assert response.status_code == 200
    assert list(response.context["form"].fields["contact"].queryset) == []
