"""accounts.selectors: the dossier facts gathered from the database."""

import pytest
from django.utils.translation import gettext as _

from accounts.models import (
    CompetitorPresence,
    Contact,
    Department,
    DossierCheckSetting,
    Function,
    InstalledProduct,
    Level,
    PurchasePlan,
)
from accounts.selectors import (
    assessments,
    dossier_facts,
    dossier_weights,
    part_events,
    shareable_users,
)
from crm import history
from tests.accounts.conftest import fill_dossier
from tests.accounts.factories import PersonalProfileFactory
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_facts_count_what_is_known_per_account(account):
    fill_dossier(account, n=2)
    other = AccountFactory(owner=account.owner)
    facts = dossier_facts([account, other])
    mine = facts[account.pk]
    assert mine.contacts == 4 and mine.decision_contacts == 2 and mine.guides == 2
    assert mine.departments == 4 and mine.procurement_heads == 2
    assert mine.department_relations == 4  # two parent links, two constraint relations
    assert mine.profiles == mine.profiles_with_interests == mine.profiles_with_background == 2
    assert mine.ties == 2 and mine.installed_products_rated == 2
    assert mine.competitors_present == mine.competitors_rated == mine.competitor_reps_known == 2
    assert facts[other.pk].contacts == 0


def test_people_who_left_do_not_count(account):
    ContactFactory(account=account, level=Level.DECISION, is_active=False)
    assert dossier_facts([account])[account.pk].decision_contacts == 0


def test_an_empty_profile_does_not_count(account):
    contact = ContactFactory(account=account, level=Level.DECISION, function=Function.USER)
    PersonalProfileFactory(contact=contact, hobbies="")
    facts = dossier_facts([account])[account.pk]
    assert facts.profiles == 0 and facts.decision_profiles == 0


def test_no_accounts_no_queries(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert dossier_facts([]) == {}


def test_weights_come_from_the_settings(db):
    DossierCheckSetting.objects.create(code="organisation_guide", weight=7)
    DossierCheckSetting.objects.create(code="personal_ties", weight=2, enabled=False)
    assert dossier_weights() == {"organisation_guide": 7, "personal_ties": 0}


def test_assessments_read_the_weights_with_the_facts(account, django_assert_num_queries):
    fill_dossier(account)
    DossierCheckSetting.objects.create(code="organisation_guide", weight=7)
    DossierCheckSetting.objects.create(code="personal_ties", weight=2, enabled=False)
    DossierCheckSetting.objects.create(code="no_such_check", weight=9)
    with django_assert_num_queries(1):
        assessment = assessments([account])[account.pk]
    weights = {r.check.code: r.weight for c in assessment.categories for r in c.results}
    assert weights["organisation_guide"] == 7
    assert "personal_ties" not in weights  # switched off
    assert weights["background_industry"] == 1  # no row: the default


def test_part_events_are_each_kind_s_latest_events(account, personas):
    """The one-statement events say what reading each kind's history on its own says."""
    fill_dossier(account, n=2)
    product = InstalledProduct.objects.filter(account=account).first()
    product.brand, product.product = "Oracle", "EBS"
    product._change_reason = "test"
    product.save()
    Department.objects.filter(account=account).last().delete()
    CompetitorPresence.objects.filter(account=account).first().delete()
    Contact.history.filter(account_id=account.pk).update(history_user=personas.owner)
    expected = []
    for model, what in [
        (InstalledProduct, "installed product"),
        (PurchasePlan, "purchase plan"),
        (Department, "department"),
        (Contact, "contact"),
    ]:
        expected += history.events(model.history.filter(account_id=account.pk), 3, _(what))
    expected += history.events(
        CompetitorPresence.history.filter(account_id=account.pk).select_related("competitor"),
        3,
        _("competitor presence"),
        name=lambda r: r.competitor.name if r.competitor else "",
    )

    def seen(changes):
        return sorted(
            (c.when, c.who.pk if c.who else None, c.kind, str(c.what), c.name) for c in changes
        )

    events = part_events(account, limit=3)
    assert seen(events) == seen(expected)
    assert any(c.name == "Oracle EBS" and c.kind == "~" for c in events)
    assert {str(c.who) for c in events if c.what == _("contact")} == {str(personas.owner)}


def test_shareable_users_are_visible_users_and_teammates(personas):
    assert set(shareable_users(personas.owner)) == {
        personas.owner,
        personas.teammate,
        personas.manager,
    }
    assert personas.owner not in set(shareable_users(personas.outsider))
