from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoolConfig(AppConfig):
    name = "pool"
    verbose_name = _("shared pool (公海)")

    def ready(self):
        from pool import signals  # noqa: F401
