"""The access policy over users (whose records one may see); each app's tests apply the same
personas to its own records."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import OuterRef
from django.http import Http404

from crm.models import User
from crm.policy import get_visible_or_404, is_admin


def visible_usernames(user):
    return set(User.objects.visible_to(user).values_list("username", flat=True))


def test_a_rep_sees_only_themself(personas):
    assert visible_usernames(personas.owner) == {"owner"}


def test_a_manager_sees_their_team(personas):
    assert visible_usernames(personas.manager) == {"owner", "teammate", "manager"}


def test_a_manager_of_another_team_sees_only_that_team(personas):
    assert visible_usernames(personas.outsider_manager) == {"outsider", "outsider_manager"}


def test_an_admin_sees_everyone(personas):
    assert visible_usernames(personas.admin) == {
        "owner",
        "teammate",
        "manager",
        "outsider",
        "outsider_manager",
        "admin",
    }


def test_a_manager_of_two_teams_sees_both(personas):
    from crm.models import Membership, Team

    Membership.objects.create(
        team=Team.objects.get(name="Team B"),
        user=personas.manager,
        role=Membership.Role.MANAGER,
    )
    assert visible_usernames(personas.manager) == {
        "owner",
        "teammate",
        "manager",
        "outsider",
        "outsider_manager",
    }


def test_inactive_and_anonymous_users_see_nothing(personas):
    personas.admin.is_active = False
    assert visible_usernames(personas.admin) == set()
    assert visible_usernames(AnonymousUser()) == set()
    assert not is_admin(AnonymousUser())


def test_get_visible_or_404(personas):
    assert get_visible_or_404(User.objects, personas.manager, username="owner") == personas.owner
    with pytest.raises(Http404):
        get_visible_or_404(User.objects, personas.outsider, username="owner")


def test_the_team_queries_behind_the_policy(personas):
    from crm import policy
    from crm.models import Membership, Team

    managed = set(Team.objects.managed_by(personas.manager).values_list("pk", flat=True))
    assert managed == set(personas.manager.memberships.values_list("team", flat=True))
    assert not Team.objects.managed_by(personas.owner).exists()
    assert Membership.objects.managing(personas.manager).count() == 1
    members = set(policy.managed_member_ids(personas.manager).values_list("user", flat=True))
    assert members == {personas.owner.pk, personas.teammate.pk, personas.manager.pk}
    assert policy.manages_owner(personas.manager, personas.owner.pk)
    assert not policy.manages_owner(personas.outsider_manager, personas.owner.pk)
    assert policy.manages_owner(personas.admin, personas.owner.pk)
    assert not policy.manages_owner(personas.owner, personas.teammate.pk)
    assert set(policy.teams_in_reach(personas.admin)) == set(Team.objects.all())
    assert list(policy.reachable_user_ids(AnonymousUser())) == []


@pytest.mark.django_db
def test_staff_status_alone_is_not_admin(personas, client_for):
    """A staff user without the permission reaches what their team gives, nothing more; with
    `crm.see_every_team` (here through a group) they see every team's records."""
    from django.contrib.auth.models import Group, Permission
    from django.urls import reverse

    from tests.factories import AccountFactory

    theirs = AccountFactory(owner=personas.outsider)
    url = reverse("accounts:detail", args=[theirs.pk])
    personas.owner.is_staff = True
    personas.owner.save(update_fields=["is_staff"])
    assert not is_admin(personas.owner)
    assert client_for(personas.owner).get(url).status_code == 404
    group = Group.objects.create(name="Administrators")
    group.permissions.add(Permission.objects.get(codename="see_every_team"))
    personas.owner.groups.add(group)
    owner = type(personas.owner).objects.get(pk=personas.owner.pk)  # a fresh permission cache
    assert is_admin(owner)
    assert client_for(owner).get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("allow_self", [False, True])
def test_nobody_decides_for_their_own_deal(personas, settings, allow_self):
    """A manager decides for the members of their team, not for themself; an admin decides
    for everyone but themself. The Python rule and its SQL form agree."""
    from crm.policy import decides_for, decides_for_annotation
    from opportunities.models import Opportunity
    from tests.opportunities.factories import OpportunityFactory

    settings.ALLOW_SELF_APPROVAL = allow_self
    deals = {
        who: OpportunityFactory(owner=getattr(personas, who))
        for who in ["owner", "manager", "admin"]
    }
    expected = {
        ("manager", "owner"): True,
        ("manager", "manager"): allow_self,
        ("admin", "owner"): True,
        ("admin", "admin"): allow_self,
        ("owner", "owner"): False,
        ("owner", "manager"): False,
    }
    for (who, whose), allowed in expected.items():
        user, deal = getattr(personas, who), deals[whose]
        assert decides_for(user, deal.owner_id) is allowed, (who, whose)
        in_sql = (
            Opportunity.objects.filter(pk=deal.pk)
            .annotate(may=decides_for_annotation(user, OuterRef("owner_id")))
            .values_list("may", flat=True)
            .get()
        )
        assert bool(in_sql) is allowed, (who, whose, "sql")


@pytest.mark.parametrize(
    "who", ["owner", "teammate", "manager", "outsider", "outsider_manager", "admin"]
)
def test_the_owners_in_reach_are_the_owners_of_the_visible_rows(personas, who):
    """The owner menus' shortcut (`owners_in_reach`) names exactly the owners of what
    `visible_to` returns: reachable owners with a row, owners of rows shared with the user,
    nobody whose rows are all out of reach."""
    from accounts.models import Account
    from crm.policy import owners_in_reach
    from tests.factories import AccountFactory

    for owner in (personas.owner, personas.teammate, personas.outsider):
        AccountFactory(owner=owner)
    shared = AccountFactory(owner=personas.outsider_manager)
    shared.collaborators.add(personas.teammate)
    user = getattr(personas, who)
    expected = set(Account.objects.visible_to(user).values_list("owner", flat=True))
    got = owners_in_reach(Account.objects.all(), user, owner="owner", shared="collaborators")
    assert set(got.values_list("pk", flat=True)) == expected
    assert len(expected) >= 1
