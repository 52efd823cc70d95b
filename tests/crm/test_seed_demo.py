from io import StringIO

import pytest
from django.core.management import call_command

from crm.models import Membership, User
from tests.snapshots import snapshot

pytestmark = pytest.mark.django_db(transaction=False)


def test_seed_demo_creates_the_demo_users():
    call_command("seed_demo", stdout=StringIO())
    assert set(User.objects.values_list("username", flat=True)) >= {
        "admin",
        "manager",
        "rep",
        "rep2",
        "rival",
    }
    for username in ["admin", "manager", "rep", "rep2", "rival"]:
        assert User.objects.get(username=username).check_password("cuilong-demo")
    assert User.objects.get(username="admin").is_superuser
    manager = Membership.objects.get(user__username="manager")
    assert manager.role == Membership.Role.MANAGER
    assert set(
        Membership.objects.filter(team=manager.team).values_list("user__username", flat=True)
    ) == {"manager", "rep", "rep2"}
    rival_team = Membership.objects.get(user__username="rival").team
    assert rival_team != manager.team


def test_seed_demo_twice_leaves_the_same_data():
    call_command("seed_demo", stdout=StringIO())
    first = snapshot()
    call_command("seed_demo", stdout=StringIO())
    assert snapshot() == first
    assert sum(len(rows) for rows in first.values()) > 0
