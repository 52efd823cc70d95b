"""Importers of accounts (客户) and contacts: a row per record, matched by external id, else
by name."""

import re

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from simple_history.utils import bulk_update_with_history

from accounts.identity import company_key
from accounts.models import Account, Contact, Function, Level
from accounts.services import handover_refusal, owners_handing_over
from accounts.signals import announce_people_changed
from imports.engine import Column, Importer
from imports.importers.users import UserLookup
from imports.parsing import (
    RowError,
    RowErrors,
    parse_bool,
    parse_choice,
    parse_decimal,
    parse_email,
    parse_int,
    parse_text,
    parse_url,
)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip()).lower()


class AccountLookup:
    """The accounts `user` can see, found by external id or exact name (1 query)."""

    def __init__(self, user, *, extra_keys: set[str] = frozenset()):
        self.by_id: dict[str, Account] = {}
        self.by_name: dict[str, Account | None] = {}
        self.by_company: dict[str, Account] = {}
        for account in Account.objects.visible_to(user).only("pk", "name", "external_id"):
            if account.external_id:
                self.by_id[account.external_id.lower()] = account
            name = _norm(account.name)
            self.by_name[name] = None if name in self.by_name else account
            self.by_company.setdefault(company_key(account.name), account)
        self.extra_keys = {k.lower() for k in extra_keys}

    def get(self, column: str, value: str) -> Account:
        key = value.strip().lower()
        if key in self.by_id:
            return self.by_id[key]
        found = self.by_name.get(_norm(value), False)
        if found is None:
            raise RowError(
                column,
                _("Several accounts are called “%(value)s”: use the account's id.")
                % {"value": value},
            )
        if found is False:
            raise RowError(
                column,
                _("Unknown account “%(value)s” (or not one you can see).") % {"value": value},
            )
        return found


def names(user, value: str) -> bool:
    """Whether `value` is `user`'s username, email or full name (as UserLookup reads them)."""
    keys = {user.username.lower(), user.email.lower(), _norm(user.get_full_name())}
    return _norm(value) in keys - {""}


class AccountImporter(Importer):
    """Accounts by external id. A new account's owner defaults to the person importing, an
    existing one keeps its owner unless the row names another, which the account form's rule
    must allow (accounts.services); a parent company may be another row of the same file."""

    kind = "accounts"
    hidden = gettext_lazy("The id “%(id)s” belongs to an account you cannot see.")
    columns = (
        Column("external_id", gettext_lazy("external id"), required=True),
        Column("name", gettext_lazy("name"), required=True),
        Column("owner", gettext_lazy("owner (username, email or full name)")),
        Column("status", gettext_lazy("status")),
        Column("industry", gettext_lazy("industry")),
        Column("region", gettext_lazy("region")),
        Column("address", gettext_lazy("address")),
        Column("phone", gettext_lazy("phone")),
        Column("website", gettext_lazy("website")),
        Column("email", gettext_lazy("email")),
        Column("revenue", gettext_lazy("annual revenue")),
        Column("employees", gettext_lazy("employees")),
        Column("year_established", gettext_lazy("year established")),
        Column("parent", gettext_lazy("parent company (id or name)")),
        Column("notes", gettext_lazy("notes")),
    )
    OWN = (
        "name",
        "status",
        "industry",
        "region",
        "address",
        "phone",
        "website",
        "email",
        "revenue",
        "employees",
        "year_established",
        "notes",
        "owner_id",
    )

    def prepare(self, rows):
        keys = {row["external_id"].lower() for row in rows if row.get("external_id")}
        names = {_norm(row["name"]) for row in rows if row.get("name")}
        self.in_file = keys | names
        self.users = UserLookup(self.user)
        self.accounts = AccountLookup(self.user)
        self.load_existing(Account.objects.select_related("parent", "owner"), rows)
        self.handing_over = owners_handing_over(self.user)
        self.today = timezone.localdate()
        self.new_in_file: dict[str, str] = {}

    def clean(self, row, warn):
        errors, values = [], {}

        def take(name, parse):
            try:
                values[name] = parse(name, row.get(name, ""))
            except RowError as exc:
                errors.append(exc)

        take("external_id", lambda c, v: parse_text(c, v, max_length=100))
        take("name", lambda c, v: parse_text(c, v, max_length=200))
        take("status", lambda c, v: parse_choice(c, v, Account.Status, Account.Status.TARGET))
        for name, length in (("industry", 100), ("region", 100), ("address", 300), ("phone", 50)):
            take(name, lambda c, v, n=length: parse_text(c, v, max_length=n))
        take("website", parse_url)
        take("email", parse_email)
        take("revenue", parse_decimal)
        take("employees", parse_int)
        take(
            "year_established",
            lambda c, v: parse_int(c, v, minimum=1800, maximum=self.today.year),
        )
        take("notes", lambda c, v: v)
        try:
            values["owner_id"] = self._owner(row.get("owner", ""), values.get("external_id"))
        except RowError as exc:
            errors.append(exc)
        parent = row.get("parent", "")
        values["parent"] = parent
        if parent and parent.lower() not in self.in_file and _norm(parent) not in self.in_file:
            try:
                self.accounts.get("parent", parent)
            except RowError as exc:
                errors.append(exc)
        if errors:
            raise RowErrors(errors)
        self._warn_of_duplicate(values, warn)
        return values

    def _warn_of_duplicate(self, values, warn):
        """A new account whose name matches one the user can see once legal forms, brackets and
        spaces are set aside (accounts.identity, the rule of the account form's warning), or an
        earlier new row of the same file: imported, but said, so nobody adds a second 江南银行
        without knowing."""
        if (values.get("external_id") or "").lower() in self.existing_by_key:
            return
        key = company_key(values.get("name") or "")
        if not key:
            return
        existing = self.accounts.by_company.get(key)
        if existing is not None:
            warn(
                _("Looks like the existing account “%(name)s” (%(id)s): check it is not the same.")
                % {"name": existing.name, "id": existing.external_id or existing.pk}
            )
        elif key in self.new_in_file:
            warn(
                _("Looks like “%(name)s”, a new account earlier in this file.")
                % {"name": self.new_in_file[key]}
            )
        else:
            self.new_in_file[key] = values["name"]

    def _owner(self, value: str, key: str | None) -> int:
        instance = self.existing_by_key.get((key or "").lower())
        if instance is None:
            return self.users.get("owner", value).pk if value else self.user.pk
        # A blank owner, or one naming the current owner (who may be outside the user's
        # teams on a shared account), keeps the owner: an import never hands over by default.
        if not value or names(instance.owner, value):
            return instance.owner_id
        owner_id = self.users.get("owner", value).pk
        refusal = handover_refusal(instance, owner_id, self.handing_over)
        if refusal:
            raise RowError("owner", refusal)
        return owner_id

    def differs(self, instance, values):
        if any(getattr(instance, n) != values[n] for n in self.OWN):
            return True
        wanted = values["parent"]
        if not wanted:
            return instance.parent_id is not None
        parent = instance.parent
        return parent is None or wanted.lower() not in {
            parent.external_id.lower(),
            _norm(parent.name),
        }

    def write(self, creates, updates):
        now = timezone.now()
        new = [
            Account(external_id=v["external_id"], **{n: v[n] for n in self.OWN}) for v in creates
        ]
        created, _changed = self.write_in_bulk(Account, new, updates, list(self.OWN))
        # Parents last: a parent may be a row of this very file.
        rows = list(zip(created, creates, strict=True)) + [(i, v) for i, v in updates]
        wanted = {a.pk: v["parent"] for a, v in rows}
        if not any(wanted.values()):
            return
        lookup = AccountLookup(self.user)
        for account in created:
            lookup.by_id[account.external_id.lower()] = account
            lookup.by_name.setdefault(_norm(account.name), account)
        with_parent = []
        for account, _v in rows:
            key = wanted[account.pk]
            parent_id = lookup.get("parent", key).pk if key else None
            if account.parent_id != parent_id and parent_id != account.pk:
                account.parent_id = parent_id
                account.updated_at = now
                with_parent.append(account)
        if with_parent:
            bulk_update_with_history(
                with_parent,
                Account,
                ["parent", "updated_at"],
                batch_size=500,
                default_user=self.user,
                default_change_reason=self.change_reason,
            )


class ContactImporter(Importer):
    """Contacts by external id, each at an account the importing user can see. The personal
    profile is not imported (METHOD.md §10: collect only what is needed, by hand)."""

    kind = "contacts"
    hidden = gettext_lazy("The id “%(id)s” belongs to a contact you cannot see.")
    columns = (
        Column("external_id", gettext_lazy("external id"), required=True),
        Column("account", pgettext_lazy("customer", "account (id or name)"), required=True),
        Column("name", gettext_lazy("name"), required=True),
        Column("title", gettext_lazy("job title")),
        Column("function", gettext_lazy("function")),
        Column("level", gettext_lazy("level")),
        Column("mobile", gettext_lazy("mobile")),
        Column("phone", gettext_lazy("office phone")),
        Column("email", gettext_lazy("email")),
        Column("wechat", gettext_lazy("WeChat")),
        Column("has_veto", gettext_lazy("veto power")),
        Column("is_active", gettext_lazy("still at the company")),
    )
    OWN = (
        "account_id",
        "name",
        "title",
        "function",
        "level",
        "mobile",
        "phone",
        "email",
        "wechat",
        "has_veto",
        "is_active",
    )

    def prepare(self, rows):
        self.accounts = AccountLookup(self.user)
        self.load_existing(Contact.objects.all(), rows)

    def clean(self, row, warn):
        errors, values = [], {}

        def take(name, parse):
            try:
                values[name] = parse(name, row.get(name, ""))
            except RowError as exc:
                errors.append(exc)

        take("external_id", lambda c, v: parse_text(c, v, max_length=100))
        take("name", lambda c, v: parse_text(c, v, max_length=100))
        for name, length in (("title", 100), ("mobile", 50), ("phone", 50), ("wechat", 100)):
            take(name, lambda c, v, n=length: parse_text(c, v, max_length=n))
        take("function", lambda c, v: parse_choice(c, v, Function, Function.OTHER))
        take("level", lambda c, v: parse_choice(c, v, Level, Level.OPERATIONAL))
        take("email", parse_email)
        take("has_veto", parse_bool)
        take("is_active", lambda c, v: parse_bool(c, v, default=True))
        try:
            values["account_id"] = self.accounts.get("account", row.get("account", "")).pk
        except RowError as exc:
            errors.append(exc)
        if errors:
            raise RowErrors(errors)
        return values

    def differs(self, instance, values):
        return any(getattr(instance, n) != values[n] for n in self.OWN)

    def write(self, creates, updates):
        new = [
            Contact(external_id=v["external_id"], **{n: v[n] for n in self.OWN}) for v in creates
        ]
        _created, changed = self.write_in_bulk(Contact, new, updates, list(self.OWN))
        if changed:
            announce_people_changed(instance.pk for instance in changed)
