"""The confirmed import as a job on the worker (issue 24): the upload's page returns at once and
shows the progress; the job checks every row (nothing written), then writes the rows that passed
in batches of IMPORT_BATCH_ROWS. Each batch is one transaction together with the batch's
progress, so a worker killed midway (even `kill -9`) leaves every batch either wholly written
and counted or not at all; the run resumes after its last committed batch and writes nothing
twice. `manage.py import_maven` writes through `write_in_batches` too.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imports import engine, kinds, reading, stored
from imports.models import ImportBatch
from imports.reading import Table


class Busy(Exception):
    """The batch is already being imported (and its worker is alive)."""


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list = field(default_factory=list)
    warnings: list = field(default_factory=list)

    def add(self, part: engine.Report) -> None:
        self.created += part.created
        self.updated += part.updated
        self.unchanged += part.unchanged
        self.rejected += part.rejected
        self.warnings += part.warnings


def batches(table: Table, size: int) -> list[Table]:
    return [
        Table(table.headers, table.rows[start : start + size], table.encoding)
        for start in range(0, len(table.rows), size)
    ]


# The tables a batch writes and the next batch's checks and facts read: PostgreSQL's planner
# needs their new size (10 s instead of 1.5 s for 10,000 deals' stored facts on a fresh table).
ANALYZED = (
    "accounts_account",
    "accounts_contact",
    "opportunities_opportunity",
    "opportunities_movechange",
    "opportunities_opportunityfacts",
    "opportunities_lineitem",
    "opportunities_stakeholder",
)
ANALYZE_EVERY = 10


def _analyze() -> None:
    if settings.IMPORT_ANALYZE and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(ANALYZED)}")


def write_in_batches(
    make_importer, table, columns, values, *, first=0, committed=None, size=None
) -> Written:
    """Write `table` batch by batch from batch `first`, each batch checked again and written in
    its own transaction (a row refused now — someone changed the data since the check — is
    reported and left out); `committed(index, part)` runs inside that batch's transaction."""
    written = Written()
    for index, rows in enumerate(batches(table, size or settings.IMPORT_BATCH_ROWS)):
        if index < first:
            continue
        with transaction.atomic():
            part = engine.run(
                make_importer(), rows, columns, values, commit=True, skip_rejected=True
            )
            written.add(part)
            if committed is not None:
                committed(index, part)
        if (index - first) % ANALYZE_EVERY == 0:
            _analyze()
    return written


def import_table(make_importer, table, columns, values, *, commit, skip_rejected=False):
    """A whole file the way the import job does it, for the commands: every row checked
    (nothing written), then — with `commit`, and no refused row unless `skip_rejected` — the
    rows that passed written in batches. Returns the report."""
    report = engine.run(make_importer(), table, columns, values)
    if not commit or report.fatal or (report.rejected and not skip_rejected):
        return report
    if not (report.created or report.updated):
        return report
    refused = {item["row"] for item in report.rejected}
    passed = Table(table.headers, [r for r in table.rows if r[0] not in refused], table.encoding)
    written = write_in_batches(make_importer, passed, columns, values)
    report.created, report.updated, report.unchanged = (
        written.created,
        written.updated,
        written.unchanged,
    )
    report.rejected += written.rejected
    report.applied = bool(written.created or written.updated)
    return report


def start(batch: ImportBatch, user, *, skip_rejected: bool) -> None:
    """Make `batch` ready for its confirmed run (or to resume an interrupted one); the caller
    then queues `imports.tasks.run_import` (the import page) or runs it (services.confirm)."""
    now = timezone.now()
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().defer("content", "rows").get(pk=batch.pk)
        if locked.state == ImportBatch.State.IMPORTED:
            raise Busy(_("This file has been imported already."))
        if locked.in_progress and not locked.interrupted(now):
            raise Busy(_("This file is being imported: its progress is shown below."))
        if not locked.in_progress:
            locked.phase, locked.rows_done, locked.batches_done = "", 0, 0
            locked.rejected_so_far = 0
            locked.skip_rejected = skip_rejected
        locked.state = ImportBatch.State.QUEUED
        locked.confirmed_by = user
        locked.heartbeat_at = now
        locked.save()


def _progress(batch_id, **fields) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(heartbeat_at=timezone.now(), **fields)


def run(batch_id: int) -> None:
    """The job: check (if not done yet), then write from the last committed batch on."""
    batch = ImportBatch.objects.defer("content", "rows").filter(pk=batch_id).first()
    if batch is None or not batch.in_progress:
        return
    _progress(batch_id, state=ImportBatch.State.RUNNING)
    user = batch.confirmed_by or batch.created_by

    def make_importer():
        return kinds.importer(batch.kind, user, batch.filename)

    try:
        table = stored.table_of(batch)
    except reading.SourceError as exc:
        _finish(batch, engine.Report(batch.kind, fatal=exc.message).as_dict())
        return
    if batch.phase != ImportBatch.Phase.WRITING and not _check(batch, table, make_importer):
        return
    refused = {item["row"] for item in batch.report.get("rejected", [])}
    passed = Table(table.headers, [r for r in table.rows if r[0] not in refused], table.encoding)
    size = settings.IMPORT_BATCH_ROWS

    def committed(index, part):
        done = min((index + 1) * size, len(passed.rows))
        report = ImportBatch.objects.values_list("report", flat=True).get(pk=batch_id)
        for key in ("created", "updated", "unchanged"):
            report[key] = report.get(key, 0) + getattr(part, key)
        report["rejected"] = report.get("rejected", []) + part.rejected
        report["warnings"] = report.get("warnings", []) + part.warnings
        _progress(
            batch_id,
            report=report,
            batches_done=index + 1,
            rows_done=done,
            rejected_so_far=len(report["rejected"]),
        )

    write_in_batches(
        make_importer,
        passed,
        batch.columns,
        batch.values,
        first=batch.batches_done,
        committed=committed,
    )
    report = ImportBatch.objects.values_list("report", flat=True).get(pk=batch_id)
    report["applied"] = bool(report.get("created") or report.get("updated"))
    _finish(batch, report, imported=report["applied"])


def _check(batch, table, make_importer) -> bool:
    """Check every row, writing nothing (the preview's run again: the data may have changed).
    True when the writing may follow."""
    _progress(batch.pk, phase=ImportBatch.Phase.CHECKING, rows_total=len(table.rows), rows_done=0)

    def checked(rows, rejected):
        _progress(batch.pk, rows_done=rows, rejected_so_far=rejected)

    report = engine.run(
        make_importer(), table, batch.columns, batch.values, progress=checked
    ).as_dict()
    if report["fatal"] or (report["rejected"] and not batch.skip_rejected):
        _finish(batch, report)
        return False
    if not (report["created"] or report["updated"]):
        _finish(batch, report)
        return False
    # The writing counts (and remarks on) what it does itself, batch by batch.
    report.update(created=0, updated=0, unchanged=0, warnings=[])
    passed = len(table.rows) - len(report["rejected"])
    _progress(
        batch.pk,
        report=report,
        phase=ImportBatch.Phase.WRITING,
        rows_total=passed,
        rows_done=0,
        batches_done=0,
        rejected_so_far=len(report["rejected"]),
    )
    batch.phase, batch.batches_done, batch.report = ImportBatch.Phase.WRITING, 0, report
    return True


def _finish(batch, report: dict, *, imported: bool = False) -> None:
    fields = {"report": report, "phase": ""}
    if imported:
        fields.update(state=ImportBatch.State.IMPORTED, imported_at=timezone.now())
    else:
        fields.update(state=ImportBatch.State.PREVIEWED)
    _progress(batch.pk, **fields)
