"""What the imports remind people of (crm.notifications.registry): their imports that
finished in the last day."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.notifications.models import Kind
from crm.notifications.registry import Reminder
from imports.models import ImportBatch


def reminders(user, today: date, kinds: set[str] | None = None) -> list[Reminder]:
    if kinds is not None and Kind.TRANSFER_DONE not in kinds:
        return []
    since = timezone.now() - timedelta(days=1)
    batches = ImportBatch.objects.filter(
        created_by=user, state=ImportBatch.State.IMPORTED, imported_at__gte=since
    ).order_by("pk")[:20]
    return [
        Reminder(
            Kind.TRANSFER_DONE,
            f"import:{batch.pk}:{batch.imported_at.isoformat()}",
            _("Import finished: %(file)s") % {"file": batch.filename},
            url=reverse("opportunities:import_batch", args=[batch.pk]),
        )
        for batch in batches
    ]
