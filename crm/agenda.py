"""The calendar's entries: each app contributes what it has dated, without crm importing the
apps (as crm.panels and crm.notifications.registry do).

An app provides `<app>/agenda.py` with `def entries(user, start, end, *, scope, private) ->
list[Entry]`: the user's own ("mine") or everything they may see ("team"), between `start`
and `end` (dates, inclusive). `private=False` is the ICS feed, which leaves the product for a
phone or Outlook: it carries no personal-profile data (no birthdays), only names.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Entry:
    uid: str
    kind: str  # "plan", "todo", "next_step", "payment", "birthday", "festival"
    title: str
    day: date
    at: datetime | None = None  # None: all day
    url: str = ""
    owner: str = ""
    done: bool = False

    @property
    def sort_key(self):
        return (self.day, self.at is not None, self.at or timezone.now(), self.title)


def provider_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.agenda"
        if find_spec(name) is not None:
            module = import_module(name)
            if hasattr(module, "entries"):  # crm.agenda is this module, not a provider
                modules.append(module)
    return modules


def collect(user, start: date, end: date, *, scope: str = "mine", private: bool = True):
    """Every app's entries for `user` between `start` and `end`, in time order."""
    found = [
        entry
        for module in provider_modules()
        for entry in module.entries(user, start, end, scope=scope, private=private)
    ]
    found.sort(key=lambda entry: entry.sort_key)
    return found


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A user's secret ICS feed address. Only a hash of the token is kept: the address is
    shown once, when made; making a new one stops the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return str(self.user_id)

    @classmethod
    def reset(cls, user) -> str:
        """A new secret address for `user` (the old one stops working); returns the token."""
        token = secrets.token_urlsafe(32)
        cls.objects.update_or_create(user=user, defaults={"token_hash": _hash(token)})
        return token

    @classmethod
    def user_for(cls, token: str):
        feed = (
            cls.objects.filter(token_hash=_hash(token), user__is_active=True)
            .select_related("user")
            .first()
        )
        return feed.user if feed else None
