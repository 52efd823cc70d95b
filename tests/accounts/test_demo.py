"""accounts/demo.py: a dozen accounts with partial dossiers; running it twice changes nothing."""

import pytest

import crm.demo
from accounts import demo
from accounts.models import Account, Contact, ContactTie, PersonalProfile
from accounts.selectors import assessments

pytestmark = pytest.mark.django_db


def seed():
    context = {}
    crm.demo.seed(context)
    demo.seed(context)
    return context


def test_the_demo_has_a_dozen_accounts_with_gaps_to_show():
    context = seed()
    assert len(context["accounts"]) == Account.objects.count() == 12
    assert {"华东电网信息中心", "江南银行", "Shanghai Metro Group", "Evergreen Logistics"} <= set(
        context["accounts"]
    )
    assert context["contacts"]["陈立"].is_guide
    scores = [a.percent for a in assessments(list(Account.objects.all())).values()]
    assert min(scores) < 20 and max(scores) < 100 and len(set(scores)) > 6
    assert set(Account.objects.values_list("owner__username", flat=True)) == {
        "rep",
        "rep2",
        "manager",
        "rival",
    }


def test_seeding_twice_changes_nothing():
    seed()
    counts = [m.objects.count() for m in (Account, Contact, PersonalProfile, ContactTie)]
    history = [Account.history.count(), Contact.history.count()]
    seed()
    assert [m.objects.count() for m in (Account, Contact, PersonalProfile, ContactTie)] == counts
    assert [Account.history.count(), Contact.history.count()] == history
