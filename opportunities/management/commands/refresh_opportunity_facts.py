from django.core.management.base import BaseCommand

from opportunities.pipeline import facts


class Command(BaseCommand):
    help = (
        "Recompute the stored facts of every deal (stage inflation, first and furthest move, "
        "time per move) that the pipeline dashboards read. The services keep them current; "
        "run this nightly as a safety net and after restoring a backup or editing data in SQL."
    )

    def handle(self, *args, **options):
        count = facts.refresh_all()
        self.stdout.write(f"Refreshed the facts of {count} opportunities.")
