"""An upload's parsed rows, kept with its batch: read instead of the file."""

from django.conf import settings
from django.utils.translation import gettext as _

from imports import reading
from imports.models import ImportBatch
from imports.reading import Table


def store_table(batch: ImportBatch, table: Table) -> None:
    """Keep the parsed rows on the (unsaved) batch: they are read instead of the file."""
    data = table.as_json()
    batch.headers, batch.rows, batch.encoding = data["headers"], data["rows"], data["encoding"]


def table_of(batch: ImportBatch) -> Table:
    """The batch's parsed rows (one query), parsed from the file only for an upload kept
    from before they were stored. Raises SourceError once the upload is purged."""
    stored = ImportBatch.objects.values("headers", "rows", "encoding", "purged_at").get(pk=batch.pk)
    if stored["purged_at"] is not None:
        raise reading.SourceError(
            _("The uploaded file was deleted after %(days)s days: upload it again.")
            % {"days": settings.IMPORT_RETENTION_DAYS}
        )
    if stored["headers"]:
        return Table.from_json(stored)
    content = ImportBatch.objects.values_list("content", flat=True).get(pk=batch.pk)
    table = reading.read_table(bytes(content), batch.filename)
    store_table(batch, table)
    batch.save(update_fields=["headers", "rows", "encoding", "updated_at"])
    return table
