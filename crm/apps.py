from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _database_functions(sender, using, **kwargs):
    """The search's SQL function, also where the tables were made without migrations."""
    from django.db import connections

    from crm import bigrams

    bigrams.install(connections[using])


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("Cuilong CRM")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from crm import lookups  # noqa: F401  (registers field__in_array)
        from crm.middleware import IdleTimeoutMiddleware

        user_logged_in.connect(IdleTimeoutMiddleware.signed_in, dispatch_uid="idle-timeout")
        post_migrate.connect(_database_functions, sender=self, dispatch_uid="crm-functions")
