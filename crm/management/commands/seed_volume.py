import random
import time
from importlib import import_module
from importlib.util import find_spec
from io import StringIO

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from crm.models import User
from crm.volume import SIZES


class Command(BaseCommand):
    help = (
        "Seed volume data for benchmarks: teams, accounts with dossiers, contacts with "
        "relationships, opportunities with stakeholders, activities… (bulk inserts, "
        "deterministic for a given --seed). Each app contributes through its volume.py, in "
        "INSTALLED_APPS order. Skips when volume data exists, unless --reseed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="large")
        parser.add_argument("--seed", type=int, default=20261126)
        parser.add_argument(
            "--reseed", action="store_true", help="flush the database and seed again"
        )

    def handle(self, *args, size, seed, reseed, **options):
        modules = [
            import_module(f"{config.name}.volume")
            for config in apps.get_app_configs()
            if find_spec(f"{config.name}.volume") is not None
        ]
        if User.objects.filter(username__startswith="vol_rep_").exists():
            if not reseed:
                self.stdout.write("Volume data already present (use --reseed to start over).")
                return
            with transaction.atomic():
                # Volume rows only, latest app first; admin-edited settings stay.
                for module in reversed(modules):
                    module.clear()
        call_command("seed_demo", verbosity=0, stdout=StringIO())
        context = {"size": SIZES[size], "rng": random.Random(seed)}
        started = time.perf_counter()
        with transaction.atomic():
            for module in modules:
                step = time.perf_counter()
                module.seed(context)
                label = module.__name__.split(".")[0]
                self.stdout.write(f"  {label:<14} {time.perf_counter() - step:6.1f} s")
        self._analyze()
        # Work that reads what was seeded, such as derived facts: after ANALYZE, so that the
        # planner knows the tables' sizes; then ANALYZE again for the tables it wrote.
        finishing = [module for module in modules if hasattr(module, "finish")]
        for module in finishing:
            step = time.perf_counter()
            module.finish(context)
            label = f"{module.__name__.split('.')[0]} (finish)"
            self.stdout.write(f"  {label:<14} {time.perf_counter() - step:6.1f} s")
        if finishing:
            self._analyze()
        self.stdout.write(
            self.style.SUCCESS(f"Seeded size {size} in {time.perf_counter() - started:.1f} s")
        )

    def _analyze(self):
        if connection.vendor != "postgresql":
            return
        # Fresh statistics: before them the planner takes the bulk-loaded tables for empty and
        # picks nested loops that cost seconds (docs/performance.md).
        step = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        self.stdout.write(f"  {'analyze':<14} {time.perf_counter() - step:6.1f} s")
