"""Volume data, step 1: teams of reps under managers (see `manage.py seed_volume`).

The demo team 1 (manager, rep, rep2) gets volume reps too, so that the demo users see a
realistic share of the data when they sign in to a volume database.
"""

from django.contrib.auth.hashers import make_password

from crm.models import Membership, Team, User

SIZES = {
    # teams, reps per team, accounts, contacts per account, opportunities, activities
    "tiny": {
        "teams": 3,
        "reps": 4,
        "accounts": 60,
        "contacts": 5,
        "opportunities": 200,
        "activities": 600,
    },
    "small": {
        "teams": 5,
        "reps": 8,
        "accounts": 2_000,
        "contacts": 5,
        "opportunities": 10_000,
        "activities": 30_000,
    },
    "large": {
        "teams": 10,
        "reps": 10,
        "accounts": 20_000,
        "contacts": 5,
        "opportunities": 100_000,
        "activities": 300_000,
    },
}
BATCH = 5_000
PREFIX = "Vol·"  # the names of volume records start with it; `clear()` finds them by it


def clear() -> None:
    Membership.objects.filter(user__username__startswith="vol_").delete()
    User.objects.filter(username__startswith="vol_").delete()
    Team.objects.filter(name__startswith="Volume team").delete()


def seed(context: dict) -> None:
    size = context["size"]
    password = make_password("cuilong-demo")
    demo_team = Team.objects.filter(memberships__user__username="manager").first()
    owners = list(User.objects.filter(username__in=["rep", "rep2", "manager"]).order_by("pk"))
    users, memberships = [], []
    for team_number in range(size["teams"]):
        if team_number == 0 and demo_team is not None:
            team = demo_team
        else:
            team = Team.objects.create(name=f"Volume team {team_number:02d}")
            manager = User(username=f"vol_mgr_{team_number:02d}", password=password)
            users.append(manager)
            memberships.append((team, manager, Membership.Role.MANAGER))
        for rep_number in range(size["reps"]):
            rep = User(
                username=f"vol_rep_{team_number:02d}_{rep_number:02d}",
                first_name=f"Rep {team_number}-{rep_number}",
                password=password,
            )
            users.append(rep)
            memberships.append((team, rep, Membership.Role.REP))
    User.objects.bulk_create(users, batch_size=BATCH)
    Membership.objects.bulk_create(
        [Membership(team=team, user=user, role=role) for team, user, role in memberships],
        batch_size=BATCH,
    )
    owners += [user for _, user, role in memberships if role == Membership.Role.REP]
    context["owners"] = owners


def raw_delete(queryset) -> int:
    """Delete the rows of `queryset` and, first, the rows that depend on them, in SQL only.

    `QuerySet.delete()` loads every row and writes a history row for each (simple-history's
    signals): hours for a million volume rows. Volume rows have no history, so `--reseed`
    deletes them with plain `DELETE … WHERE … IN (subquery)` statements, children first:
    CASCADE and PROTECT children are deleted (volume data only references volume data),
    SET_NULL children are cleared, DO_NOTHING (history tables) left alone.
    """
    from django.db import models

    model = queryset.model
    ids = queryset.values("pk")
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        through._base_manager.filter(**{f"{field.m2m_field_name()}__in": ids})._raw_delete(
            queryset.db
        )
    for relation in model._meta.related_objects:
        if relation.many_to_many:
            through = relation.through
            name = relation.field.m2m_reverse_field_name()
            through._base_manager.filter(**{f"{name}__in": ids})._raw_delete(queryset.db)
            continue
        on_delete = relation.on_delete
        children = relation.related_model._base_manager.filter(
            **{f"{relation.field.name}__in": ids}
        )
        if on_delete in (models.CASCADE, models.PROTECT):
            raw_delete(children)
        elif on_delete is models.SET_NULL:
            children.update(**{relation.field.name: None})
    return queryset._raw_delete(queryset.db)
