"""accounts.selectors: the dossier facts gathered from the database."""

import pytest

from accounts.models import DossierCheckSetting, Function, Level
from accounts.selectors import dossier_facts, dossier_weights, shareable_users
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


def test_shareable_users_are_visible_users_and_teammates(personas):
    assert set(shareable_users(personas.owner)) == {
        personas.owner,
        personas.teammate,
        personas.manager,
    }
    assert personas.owner not in set(shareable_users(personas.outsider))
