"""What each app has to remind people of, without crm importing the apps.

An app provides `<app>/reminders.py` with `def reminders(user, today, kinds=None) ->
list[Reminder]` (only the kinds asked for, all when None);
`collect()` finds those modules in INSTALLED_APPS order (as crm.panels finds the home page's
panels), so the dependency arrow stays one-way.
"""

from dataclasses import dataclass
from datetime import date
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@dataclass(frozen=True)
class Reminder:
    """One event for one user. `key` names the event: the same key is recorded once."""

    kind: str
    key: str
    title: str
    body: str = ""
    url: str = ""
    due_on: date | None = None


def provider_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.reminders"
        if find_spec(name) is not None:
            modules.append(import_module(name))
    return modules


def collect(user, today: date, kinds: set[str] | None = None) -> list[Reminder]:
    """Every app's reminders (of `kinds`, or all) for `user` on `today`."""
    return [
        reminder
        for module in provider_modules()
        for reminder in module.reminders(user, today, kinds)
    ]
