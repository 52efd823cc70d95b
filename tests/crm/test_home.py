"""The home page: the rep's day and the manager's glance, from the panels each app offers
(crm.panels) without crm importing any app against the dependency arrow."""

import ast
import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import PersonalProfile
from crm import panels, policy
from crm.models import User
from opportunities.models import PaymentMilestone, PurchaseRole, Status
from relationships.defaults import ensure_defaults
from relationships.models import Activity, ActivityType, CoolingThreshold, Festival, Relationship
from tests.opportunities.factories import StakeholderFactory
from tests.opportunities.pipeline_data import make_deal
from tests.relationships.factories import ActivityFactory, festival_on

pytestmark = pytest.mark.django_db

HOME = reverse("crm:home")


def test_panels_come_from_the_apps_in_installed_apps_order():
    names = [module.__name__ for module in panels.provider_modules()]
    assert names == ["crm.home", "relationships.home", "opportunities.home"]
    order = [app for app in settings.INSTALLED_APPS if f"{app}.home" in names]
    assert [f"{app}.home" for app in order] == names


def test_crm_imports_none_of_the_apps():
    for path in Path(settings.BASE_DIR, "crm").rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.split(".")[0] not in {
                    "accounts",
                    "relationships",
                    "opportunities",
                }, path
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] not in {
                        "accounts",
                        "relationships",
                        "opportunities",
                    }, path


def page(client, user):
    client.force_login(user)
    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response, response.content.decode()


def test_a_rep_starts_the_day_with_their_deals_and_next_steps(client, personas):
    today = timezone.localdate()
    late = make_deal(personas.owner, move=2, name="Late deal")
    late.next_step, late.next_step_date = "Send the proposal", today - datetime.timedelta(days=3)
    late.save()
    make_deal(personas.owner, move=1, name="Fresh deal", amount="5000")
    make_deal(personas.teammate, move=1, name="Teammate deal")
    make_deal(personas.owner, move=6, status=Status.WON, name="Won deal")
    response, html = page(client, personas.owner)
    assert "Late deal" in html and "Fresh deal" in html
    assert "Teammate deal" not in html and "Won deal" not in html
    assert "Send the proposal" in html and "3 days late" in html
    # the first unmet exit check of move 1 and what to do about it
    assert "Five criteria pass" in html
    assert "Fill in and firm up the five criteria" in html
    assert "Team pipeline" not in html  # a rep gets no team panel
    assert "Team A — sales rep" in html


def test_payment_milestones_due_and_the_thinnest_dossiers(client, personas):
    from opportunities.models import PaymentMilestone

    won = make_deal(personas.owner, move=6, status=Status.WON, name="Signed deal")
    PaymentMilestone.objects.create(
        opportunity=won,
        name="30% on acceptance",
        amount=Decimal("12000"),
        due_date=timezone.localdate() - datetime.timedelta(days=2),
    )
    big = make_deal(personas.owner, move=3, amount="900000", name="Big deal")
    _response, html = page(client, personas.owner)
    assert "30% on acceptance" in html and "¥12,000" in html and "overdue since" in html
    assert big.account.name in html
    assert "Find out next" in html


def test_a_manager_sees_the_team_at_a_glance(client, personas):
    make_deal(personas.owner, move=3, in_move_days=200, name="Stuck deal", amount="7000")
    make_deal(personas.outsider, move=3, in_move_days=200, name="Other team deal")
    _response, html = page(client, personas.manager)
    assert "Team pipeline" in html and "Stuck deal" in html
    assert "Other team deal" not in html
    _response, html = page(client, personas.outsider_manager)
    assert "Other team deal" in html and "Stuck deal" not in html


def test_a_new_rep_is_told_what_to_do_first(client, personas):
    _response, html = page(client, personas.owner)
    assert "You have no open opportunity yet" in html
    assert "Customer analysis" in html


def count(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(HOME).status_code == 200
    return len(ctx.captured_queries)


def grow(personas, n):
    """`n` more of everything the home page shows, for the owner and the teammate: deals in
    every move, each with a stakeholder holding a role; a won deal with a milestone due; the
    stakeholders' birthdays soon, their cooling relationships, an activity with a next step and
    a gift waiting for approval. Every query of the page then has rows to read."""
    ensure_defaults(ActivityType, CoolingThreshold, Festival)
    types = {t.code: t for t in ActivityType.objects.all()}
    today = timezone.localdate()
    festival_on(today + datetime.timedelta(days=3), name_en="Home test day")
    for i in range(n):
        for user, amount in [(personas.owner, str(1000 * (i + 1))), (personas.teammate, "500")]:
            deal = make_deal(user, move=1 + i % 5, amount=amount, in_move_days=90)
            person = StakeholderFactory(
                opportunity=deal, roles=[PurchaseRole.DECISION_MAKER]
            ).contact
            PersonalProfile.objects.create(
                contact=person,
                birthday=(today + datetime.timedelta(days=i % 10)).replace(year=1980),
            )
            Relationship.objects.create(contact=person, stage=2)
            for activity in [
                {"type": types["phone_call"], "next_step": "Call back"},
                {
                    "type": types["valuable_gift"],
                    "cost": Decimal("900"),
                    "approval_status": Activity.Approval.PENDING,
                },
            ]:
                ActivityFactory(
                    account=deal.account,
                    owner=user,
                    date=today - datetime.timedelta(days=60),
                    next_step_date=today + datetime.timedelta(days=2),
                    contacts=[person],
                    **activity,
                )
        won = make_deal(personas.owner, move=6, status=Status.WON, amount="9000")
        PaymentMilestone.objects.create(
            opportunity=won,
            name=f"Milestone {i}",
            amount=Decimal("3000"),
            due_date=today + datetime.timedelta(days=5),
        )


# Every user: session, user; crm: teams (whose rows also answer "is a manager?" for the other
# panels: crm.policy.note_memberships). relationships: birthdays and festivals (one
# statement), cooling relationships (with their thresholds and a window count), activity next
# steps and gifts waiting (one statement: window ranks and count) with their people.
# opportunities:
# - a rep: the open deals ranked (by move, next step and amount, with window counts and
#   sums), the shown deals (account, move 3–5 facts, the qualification setting), their
#   stakeholders with their roles joined; milestones due; dossier facts with the weights (one
#   statement); the after-sale and effort setting and the open deals by effort score (two);
# - a manager or admin: move settings (with the stall limits), the owners in reach (their
#   ids, read once: opportunities.pipeline.figures.scope), open totals, stalled (rows with a
#   window count), inflated (rows with a window count), reviews due; the open deals ranked
#   (none here: the team comes first).
HOME_QUERIES = {"owner": 14, "manager": 14, "admin": 14}


@pytest.mark.parametrize("who", ["owner", "manager", "admin"])
def test_the_home_page_queries_do_not_grow_with_rows(client, personas, who):
    user = getattr(personas, who)
    grow(personas, 3)
    small = count(client, user)
    grow(personas, 15)
    assert count(client, user) == small == HOME_QUERIES[who]


@pytest.mark.parametrize("who", ["owner", "manager", "outsider_manager"])
def test_the_teams_panel_answers_whether_the_user_manages_a_team(
    personas, django_assert_num_queries, who
):
    """The teams panel's memberships answer crm.policy.manages_a_team for the other panels,
    as the policy's own query does."""
    user = User.objects.get(pk=getattr(personas, who).pk)
    policy.note_memberships(user, list(user.memberships.all()))
    with django_assert_num_queries(0):
        noted = policy.manages_a_team(user)
    assert noted == policy.manages_a_team(User.objects.get(pk=user.pk)) == (who != "owner")
