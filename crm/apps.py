from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("Cuilong CRM")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from crm import lookups  # noqa: F401  (registers field__in_array)
        from crm.middleware import IdleTimeoutMiddleware

        user_logged_in.connect(IdleTimeoutMiddleware.signed_in, dispatch_uid="idle-timeout")
