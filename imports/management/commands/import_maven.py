"""Import the Maven CRM data set (../shared/datasets/maven-crm) into the configured database."""

import os
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from imports import services
from imports.management.commands._importing import importing_user, print_report

DEFAULT_DIR = settings.BASE_DIR.parent / "shared" / "datasets" / "maven-crm"


class Command(BaseCommand):
    help = (
        "Import the Maven CRM data set: agents and managers as users in a team per manager, "
        "the products, the accounts and the 8,800 opportunities (docs/import.md). "
        "Running it again updates instead of duplicating."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=os.environ.get("MAVEN_DIR", str(DEFAULT_DIR)),
            help="The folder with accounts.csv, products.csv, sales_teams.csv, sales_pipeline.csv.",
        )
        parser.add_argument("--as", dest="username", help="The admin to import as.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")

    def handle(self, *args, dir, username, dry_run, **options):
        directory = Path(dir)
        if not (directory / "sales_pipeline.csv").exists():
            raise CommandError(f"No Maven data set in {directory} (sales_pipeline.csv missing).")
        user = importing_user(username, create=True)
        started = time.monotonic()
        with translation.override(user.language or settings.LANGUAGE_CODE):
            reports = services.import_maven(directory, user, commit=not dry_run)
        for kind, report in reports.items():
            print_report(self.stdout, self.style, kind, report)
        self.stdout.write(f"done in {time.monotonic() - started:.1f} s as {user.username}")
        if any(r.fatal or r.rejected for r in reports.values()):
            raise CommandError("Some rows were rejected: see above.")
