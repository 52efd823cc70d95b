"""Demo users and teams (the first step of `manage.py seed_demo`)."""

from crm.models import Membership, Team, User

DEMO_PASSWORD = "cuilong-demo"

# username, first name, last name, team index (None = no team), role, admin
DEMO_USERS = [
    ("admin", "系统管理员 Admin", "", None, None, True),
    ("manager", "王伟 Wang Wei", "", 0, Membership.Role.MANAGER, False),
    ("rep", "李娜 Li Na", "", 0, Membership.Role.REP, False),
    ("rep2", "Tom Chen 陈涛", "", 0, Membership.Role.REP, False),
    ("rival", "赵刚 Zhao Gang", "", 1, Membership.Role.REP, False),
]
DEMO_TEAMS = ["华东一组 East China 1", "华北二组 North China 2"]


def seed(context: dict) -> None:
    teams = [Team.objects.get_or_create(name=name)[0] for name in DEMO_TEAMS]
    users = {}
    for username, first, last, team_index, role, is_admin in DEMO_USERS:
        user, _ = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.com",
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if team_index is not None:
            Membership.objects.update_or_create(
                team=teams[team_index], user=user, defaults={"role": role}
            )
        users[username] = user
    context["teams"] = teams
    context["users"] = users
    context["password"] = DEMO_PASSWORD
