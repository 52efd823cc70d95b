from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create (or bring up to date) the demo teams, users and sample data. Idempotent: "
        "running it again leaves the same data. Each app contributes through its demo.py, "
        "in INSTALLED_APPS order."
    )

    def handle(self, *args, **options):
        context: dict = {}
        with transaction.atomic():
            for config in apps.get_app_configs():
                module_name = f"{config.name}.demo"
                if find_spec(module_name) is not None:
                    import_module(module_name).seed(context)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Sign in with:"))
        for username in context["users"]:
            self.stdout.write(f"  {username:<10} / {context['password']}")
