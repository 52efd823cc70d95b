from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("Cuilong CRM")

    def ready(self):
        from crm import lookups  # noqa: F401  (registers field__in_array)
