from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def fill_missing_facts(sender, using, **kwargs):
    """After `migrate`: deals that have no stored facts yet (a database from before they
    existed) get them, so that the dashboards never read a gap. One query when none is
    missing."""
    from opportunities.pipeline import facts

    facts.refresh_missing(using=using)


def figure_triggers(sender, using, **kwargs):
    """The triggers that tell the cached deal figures when their data changed (crm/figures.py):
    every table of this app, and the people, teams and accounts they name (the account list's
    menus are cached on the same generation)."""
    from django.db import connections

    from crm import figures

    tables = figures.tables_of(sender) + [
        "crm_user",
        "crm_team",
        "crm_membership",
        "accounts_account",
        "accounts_account_collaborators",
        "accounts_competitor",
    ]
    figures.install(connections[using], tables)


def recheck_people(sender, contact_ids, **kwargs):
    """accounts.signals.people_changed: the deals of these people recheck their exit checks."""
    from opportunities.pipeline import facts

    facts.refresh_for_contacts(contact_ids)


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = _("Opportunities")

    def ready(self):
        from accounts.signals import people_changed

        post_migrate.connect(fill_missing_facts, sender=self)
        post_migrate.connect(figure_triggers, sender=self, dispatch_uid="opportunities-figures")
        people_changed.connect(recheck_people, dispatch_uid="opportunities.recheck_people")
