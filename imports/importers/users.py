"""Import and export of users and teams (admins only), and the user lookup other imports use
to resolve an owner column."""

import re

from django.contrib.auth.hashers import make_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.models import Membership, Team, User
from imports.engine import Column, Importer
from imports.parsing import RowError, RowErrors, parse_bool, parse_choice, parse_email, parse_text


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).lower()


class UserLookup:
    """The users `user` may hand records to, found by username, email or full name
    (2 queries, whatever the file size). An unknown or ambiguous name is a row error."""

    def __init__(self, user):
        self.by_key: dict[str, User | None] = {}
        for candidate in User.objects.visible_to(user).filter(is_active=True):
            keys = {candidate.username.lower()}
            if candidate.email:
                keys.add(candidate.email.lower())
            full = _norm(candidate.get_full_name())
            if full:
                keys.add(full)
            for key in keys:
                # Two people with one name: that name identifies nobody.
                if key in self.by_key and self.by_key[key] != candidate:
                    self.by_key[key] = None
                else:
                    self.by_key[key] = candidate

    def get(self, column: str, value: str) -> User:
        found = self.by_key.get(_norm(value), False)
        if found is None:
            raise RowError(
                column,
                _("“%(value)s” names more than one person: use the username.") % {"value": value},
            )
        if found is False:
            raise RowError(
                column,
                _("Unknown user “%(value)s” (or not in your teams).") % {"value": value},
            )
        return found


class UserImporter(Importer):
    """Users by username; a `team` column puts them in that team (created when new), with
    `role` rep or manager. New users get no password: an admin sets one, or they sign in
    through whatever the deployment uses."""

    kind = "users"
    key = "username"
    columns = (
        Column("username", gettext_lazy("username"), required=True),
        Column("first_name", gettext_lazy("first name")),
        Column("last_name", gettext_lazy("last name")),
        Column("email", gettext_lazy("email")),
        Column("team", gettext_lazy("team")),
        Column("role", gettext_lazy("role (rep or manager)")),
        Column("is_active", gettext_lazy("active")),
    )

    def prepare(self, rows):
        # Usernames match ignoring case; the users table is small next to any import.
        self.users = {u.username.lower(): u for u in User.objects.all()}
        self.memberships = {
            (m.user_id, m.team.name): m for m in Membership.objects.select_related("team")
        }

    def clean(self, row, warn):
        errors = []
        values = {}
        try:
            UnicodeUsernameValidator()(row["username"])
            values["username"] = parse_text("username", row["username"], max_length=150)
        except ValidationError:
            errors.append(
                RowError(
                    "username",
                    _("“%(value)s” is not a username: letters, digits and @.+-_ only.")
                    % {"value": row["username"]},
                )
            )
        for name, length in (("first_name", 150), ("last_name", 150), ("team", 100)):
            try:
                values[name] = parse_text(name, row.get(name, ""), max_length=length)
            except RowError as exc:
                errors.append(exc)
        for name, parse in (
            ("email", lambda c, v: parse_email(c, v)),
            ("role", lambda c, v: parse_choice(c, v, Membership.Role, Membership.Role.REP)),
            ("is_active", lambda c, v: parse_bool(c, v, default=True)),
        ):
            try:
                values[name] = parse(name, row.get(name, ""))
            except RowError as exc:
                errors.append(exc)
        current = self.users.get(row["username"].lower())
        if current is not None and current.is_superuser and not self.user.is_superuser:
            # An import may not lock out or re-address the people who administer the system.
            errors.append(
                RowError(
                    "username",
                    _("“%(value)s” is a superuser: only a superuser may change them by import.")
                    % {"value": row["username"]},
                )
            )
        if errors:
            raise RowErrors(errors)
        return values

    def existing(self, key):
        return self.users.get(key.lower())

    def differs(self, instance, values):
        own = {k: v for k, v in values.items() if k not in ("team", "role", "username")}
        if any(getattr(instance, k) != v for k, v in own.items()):
            return True
        if values["team"]:
            membership = self.memberships.get((instance.pk, values["team"]))
            return membership is None or membership.role != values["role"]
        return False

    def write(self, creates, updates):
        own_fields = ["first_name", "last_name", "email", "is_active"]
        new_users = [
            User(
                username=v["username"],
                password=make_password(None),
                **{k: v[k] for k in own_fields},
            )
            for v in creates
        ]
        created = User.objects.bulk_create(new_users, batch_size=500)
        if any(u.pk is None for u in created):
            created = list(User.objects.filter(username__in=[u.username for u in new_users]))
        changed = []
        for instance, v in updates:
            for k in own_fields:
                setattr(instance, k, v[k])
            changed.append(instance)
        if changed:
            User.objects.bulk_update(changed, own_fields, batch_size=500)
        by_name = {u.username: u for u in created} | {u.username: u for u in changed}
        team_names = {v["team"] for v in creates + [v for _i, v in updates] if v["team"]}
        teams = {t.name: t for t in Team.objects.filter(name__in=team_names)}
        missing = [Team(name=name) for name in sorted(team_names - set(teams))]
        for team in Team.objects.bulk_create(missing):
            teams[team.name] = team
        teams = {t.name: t for t in Team.objects.filter(name__in=team_names)}
        new_memberships, changed_memberships = [], []
        for v in creates + [v for _i, v in updates]:
            if not v["team"]:
                continue
            user = by_name[v["username"]]
            current = self.memberships.get((user.pk, v["team"]))
            if current is None:
                new_memberships.append(Membership(team=teams[v["team"]], user=user, role=v["role"]))
            elif current.role != v["role"]:
                current.role = v["role"]
                changed_memberships.append(current)
        Membership.objects.bulk_create(new_memberships, batch_size=500)
        Membership.objects.bulk_update(changed_memberships, ["role"], batch_size=500)
