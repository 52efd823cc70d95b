"""Import one CSV or XLSX file of users, products, accounts, contacts or opportunities."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from imports import engine as importing
from imports import jobs, reading, services
from imports.management.commands._importing import importing_user, print_report
from imports.models import ImportKind, ImportMapping


class Command(BaseCommand):
    help = (
        "Import a CSV or XLSX file (admins). Columns are matched by name, or by a saved import "
        "mapping (--mapping). Nothing is written when a row is rejected, unless "
        "--skip-rejected; --dry-run only checks. Rejected rows can be written to a CSV file "
        "(--rejected) to fix and import again."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=ImportKind.values)
        parser.add_argument("file")
        parser.add_argument("--mapping", help="The name of a saved import mapping.")
        parser.add_argument("--columns", help='JSON: {"our_field": "their column"}.')
        parser.add_argument("--values", help='JSON: {"our_field": {"theirs": "ours"}}.')
        parser.add_argument("--as", dest="username", help="The admin to import as.")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--skip-rejected", action="store_true")
        parser.add_argument("--rejected", help="Write the rejected rows to this CSV file.")

    def handle(self, *args, kind, file, mapping, columns, values, username, **options):
        user = importing_user(username)
        path = Path(file)
        if not path.exists():
            raise CommandError(f"No file {path}.")
        try:
            table = reading.read_table(path.read_bytes(), path.name)
        except reading.SourceError as exc:
            raise CommandError(exc.message) from exc
        saved = None
        if mapping:
            saved = ImportMapping.objects.filter(name=mapping, kind=kind).first()
            if saved is None:
                raise CommandError(f"No saved {kind} mapping “{mapping}”.")
        cols, vals = services.mapping_for(saved, table.headers, kind, user)
        if columns:
            cols.update(json.loads(columns))
        if values:
            vals.update(json.loads(values))
        with translation.override(user.language or settings.LANGUAGE_CODE):
            report = jobs.import_table(
                lambda: services.importer(kind, user, path.name),
                table,
                cols,
                vals,
                commit=not options["dry_run"],
                skip_rejected=options["skip_rejected"],
            )
        print_report(self.stdout, self.style, f"{kind} from {path.name}", report)
        if options["rejected"] and report.rejected:
            Path(options["rejected"]).write_text(
                importing.rejected_csv(report.as_dict()), encoding="utf-8"
            )
        if report.fatal or (report.rejected and not options["skip_rejected"]):
            raise CommandError("Nothing was written: fix the rejected rows (or --skip-rejected).")
