from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        from accounts.identity import install_company_key

        install_company_key(connection)


def _database_functions(sender, using, **kwargs):
    from django.db import connections

    from accounts.identity import install_company_key

    if connections[using].vendor == "postgresql":
        install_company_key(connections[using])


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Customer accounts")

    def ready(self):
        connection_created.connect(_sqlite_functions, dispatch_uid="accounts-sqlite-functions")
        post_migrate.connect(_database_functions, sender=self, dispatch_uid="accounts-functions")
