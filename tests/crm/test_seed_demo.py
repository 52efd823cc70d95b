from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from crm.models import Membership, User

pytestmark = pytest.mark.django_db(transaction=False)


def snapshot():
    """Every row of every project model, as comparable values (timestamps left out)."""
    rows = {}
    for model in apps.get_models():
        if model._meta.app_label not in {"crm", "accounts", "relationships", "opportunities"}:
            continue
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if f.attname not in {"created_at", "updated_at", "last_login", "password"}
            and not f.attname.startswith("history_")
        ]
        rows[model._meta.label] = sorted(
            map(repr, model._base_manager.values_list(*fields)), key=str
        )
    return rows


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
