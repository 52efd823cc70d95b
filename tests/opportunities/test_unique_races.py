"""Unique creations and the milestone check are race-safe: a one-per-deal record, a
department name per account or a new competitor created by someone else between the check and
the save is a form message, never an IntegrityError 500; milestones are checked again with
the contract locked. Step-by-step interleavings on every database, two threads on PostgreSQL."""

import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation

from accounts.forms import CompetitorPresenceForm, DepartmentForm
from accounts.models import Competitor, Department
from crm.concurrency import ConcurrentEditMixin
from opportunities.models import PaymentMilestone, ProjectApproval
from opportunities.moves import services as move_services
from opportunities.moves.contract_forms import MilestoneForm
from opportunities.moves.forms import ApprovalForm
from tests.factories import AccountFactory
from tests.opportunities.factories import OpportunityFactory
from tests.opportunities.moves_factories import won_deal_with_milestones

DUPLICATE = ConcurrentEditMixin.duplicate_message


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def codes(form):
    return [str(e) for e in form.non_field_errors()]


@pytest.mark.django_db
def test_a_one_per_deal_record_created_meanwhile_is_a_message(personas):
    deal = OpportunityFactory(account__owner=personas.owner)
    form = ApprovalForm(
        {"decision": "pending"}, instance=ProjectApproval(), opportunity=deal, user=personas.owner
    )
    assert form.is_valid(), form.errors
    ProjectApproval.objects.create(opportunity=deal)  # the other person's save, in between
    assert form.try_save() is None
    assert codes(form) == [str(DUPLICATE)]
    assert ProjectApproval.objects.filter(opportunity=deal).count() == 1


@pytest.mark.django_db
def test_a_department_name_taken_meanwhile_is_a_message(personas):
    account = AccountFactory(owner=personas.owner)
    form = DepartmentForm({"name": "IT", "function": "user"}, account=account)
    assert form.is_valid(), form.errors
    Department.objects.create(account=account, name="IT")
    assert form.try_save() is None
    assert codes(form) == [str(DUPLICATE)]


@pytest.mark.django_db
def test_a_new_competitor_added_meanwhile_is_shared(personas):
    account = AccountFactory(owner=personas.owner)
    form = CompetitorPresenceForm(
        {"new_competitor": "Rival", "satisfaction": "", "rep_relationship": "unknown"},
        account=account,
    )
    assert form.is_valid(), form.errors
    Competitor.objects.create(name="Rival")
    presence = form.try_save()
    assert presence is not None and presence.competitor.name == "Rival"
    assert Competitor.objects.filter(name="Rival").count() == 1


def milestone_form(deal, user, amount):
    return MilestoneForm(
        {"name": f"extra {amount}", "amount": str(amount), "due_date": "2026-12-01"},
        instance=PaymentMilestone(),
        opportunity=deal,
        user=user,
    )


@pytest.mark.django_db
def test_a_milestone_is_checked_again_under_the_contracts_lock(personas):
    deal = won_deal_with_milestones(personas.owner)
    PaymentMilestone.objects.filter(opportunity=deal, name="warranty").delete()  # 20,000 left
    form = milestone_form(deal, personas.owner, 15000)
    assert form.is_valid(), form.errors
    PaymentMilestone.objects.create(
        opportunity=deal, name="meanwhile", amount=Decimal(10000), due_date="2026-12-01"
    )
    assert move_services.save_milestone(form) is None
    assert form.errors["amount"][0].startswith("The milestones would add up to more")
    assert sum(m.amount for m in deal.payment_milestones.all()) == Decimal(90000)


def race(*jobs):
    """Run the jobs in two threads released together; returns their results and errors."""
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except Exception as exc:  # reported below: a crashed thread proves nothing
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


postgres_only = pytest.mark.skipif(
    connection.vendor == "sqlite", reason="SQLite locks the whole database for each writer"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_people_adding_the_same_department_at_once(personas):
    account = AccountFactory(owner=personas.owner)

    def add():
        form = DepartmentForm({"name": "IT", "function": "user"}, account=account)
        return form.is_valid() and form.try_save() is not None

    results, errors = race(add, add)
    assert errors == []
    assert sorted(results) == [False, True]
    assert Department.objects.filter(account=account).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_people_recording_the_project_approval_at_once(personas):
    deal = OpportunityFactory(account__owner=personas.owner)

    def add():
        form = ApprovalForm(
            {"decision": "pending"},
            instance=ProjectApproval(),
            opportunity=deal,
            user=personas.owner,
        )
        return form.is_valid() and form.try_save() is not None

    results, errors = race(add, add)
    assert errors == []
    assert sorted(results) == [False, True]
    assert ProjectApproval.objects.filter(opportunity=deal).count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_people_adding_the_same_new_competitor_at_once(personas):
    accounts = [AccountFactory(owner=personas.owner) for _ in range(2)]

    def add(account):
        def job():
            form = CompetitorPresenceForm(
                {"new_competitor": "Rival", "rep_relationship": "unknown"}, account=account
            )
            return form.is_valid() and form.try_save() is not None

        return job

    results, errors = race(add(accounts[0]), add(accounts[1]))
    assert errors == []
    assert results == [True, True]
    assert Competitor.objects.filter(name="Rival").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_milestones_saved_at_once_never_exceed_the_contract(personas):
    deal = won_deal_with_milestones(personas.owner)
    PaymentMilestone.objects.filter(opportunity=deal, name="warranty").delete()  # 20,000 left

    def add(amount):
        def job():
            form = milestone_form(deal, personas.owner, amount)
            return form.is_valid() and move_services.save_milestone(form) is not None

        return job

    results, errors = race(add(15000), add(15000))
    assert errors == []
    assert sorted(results) == [False, True]
    assert sum(m.amount for m in deal.payment_milestones.all()) == Decimal(95000)
