from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def figure_triggers(sender, using, **kwargs):
    """The triggers that tell the cached relationship figures (what builds trust) when their
    data changed (crm/figures.py): every table of this app, and the people, accounts, users and
    teams whose visibility they follow."""
    from django.db import connections

    from crm import figures

    tables = figures.tables_of(sender) + [
        "crm_user",
        "crm_team",
        "crm_membership",
        "accounts_account",
        "accounts_account_collaborators",
        "accounts_contact",
    ]
    figures.install(connections[using], tables, row=figures.RELATIONSHIPS)


class RelationshipsConfig(AppConfig):
    name = "relationships"
    verbose_name = _("Relationships")

    def ready(self):
        post_migrate.connect(figure_triggers, sender=self, dispatch_uid="relationships-figures")
