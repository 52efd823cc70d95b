"""The import engine: map a file's columns and values onto ours, check every row, plan what
would be created / updated / left unchanged, and write the plan in bulk. Every rejected row
keeps its number in the file and the reasons. Files are read by imports/reading.py, cells
parsed by imports/parsing.py; each kind of record has its `Importer` in imports/importers/,
and imports/services.py runs them for the pages and commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from crm.exporting import csv_text
from imports.parsing import RowError, RowErrors
from imports.reading import Table

# --- importers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One of our fields a file can fill; `name` is also its column name in our exports."""

    name: str
    label: str
    required: bool = False
    help: str = ""


class Importer:
    """One kind of record. Subclasses (in `imports/importers/`) say which columns they take,
    which one identifies a record (`key`), and how to check a row and write a plan.

    `prepare()` loads every lookup a file needs in a fixed number of queries; `clean()` checks
    one row without touching the database; `write()` writes creations and updates in bulk.
    """

    kind = ""
    columns: tuple[Column, ...] = ()
    key = "external_id"

    def __init__(self, user, *, source: str = ""):
        self.user = user
        self.source = source  # the file's name, for the history's change reason

    def prepare(self, rows: list[dict]) -> None:
        pass

    def clean(self, row: dict, warn) -> dict:
        raise NotImplementedError

    # Set by `prepare()` for importers of records with an owner: the records of the file's
    # keys (lower-cased) and the ids of those the user may see; `hidden` says why a row
    # matching one of the others is refused.
    existing_by_key: dict
    visible_ids: set
    hidden = ""

    def load_existing(self, queryset, rows: list[dict]) -> None:
        """Fill `existing_by_key` and `visible_ids` for the file's keys (two queries)."""
        keys = [row["external_id"] for row in rows if row.get("external_id")]
        found = list(queryset.filter(external_id__in=keys))
        self.visible_ids = set(
            queryset.model.objects.visible_to(self.user)
            .filter(pk__in=[record.pk for record in found])
            .values_list("pk", flat=True)
        )
        self.existing_by_key = {record.external_id.lower(): record for record in found}

    def existing(self, key: str):
        """The record with this key, or None; raise RowError if it exists but the user may
        not touch it."""
        record = self.existing_by_key.get(key.lower())
        if record is not None and record.pk not in self.visible_ids:
            raise RowError("external_id", str(self.hidden) % {"id": key})
        return record

    def differs(self, instance, values: dict) -> bool:
        return any(getattr(instance, name) != value for name, value in values.items())

    def write(self, creates: list[dict], updates: list[tuple[object, dict]]) -> None:
        raise NotImplementedError

    def write_in_bulk(
        self,
        model,
        new: list,
        updates: list[tuple[object, dict]],
        fields: list[str],
        *,
        history: bool = True,
        batch_size: int = 500,
    ) -> tuple[list, list]:
        """The shared bulk write: create `new` (instances), copy `fields` from each update's
        values onto its instance, stamp `updated_at` and save them in one bulk update; with
        `history`, both with their history rows (the file's name as the change reason).
        Returns the created and the changed instances."""
        now = timezone.now()
        changed = []
        for instance, values in updates:
            for name in fields:
                setattr(instance, name, values[name])
            instance.updated_at = now
            changed.append(instance)
        columns = [*fields, "updated_at"]
        if history:
            who = {"default_user": self.user, "default_change_reason": self.change_reason}
            created = bulk_create_with_history(new, model, batch_size=batch_size, **who)
            if changed:
                bulk_update_with_history(changed, model, columns, batch_size=batch_size, **who)
        else:
            created = model.objects.bulk_create(new, batch_size=batch_size)
            if changed:
                model.objects.bulk_update(changed, columns, batch_size=batch_size)
        return created, changed

    @property
    def change_reason(self) -> str:
        return f"import: {self.source}"[:100] if self.source else "import"


@dataclass
class Report:
    kind: str
    headers: list[str] = field(default_factory=list)
    encoding: str = ""
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[dict] = field(default_factory=list)  # {"row", "errors": [[col, msg]], "values"}
    warnings: list[dict] = field(default_factory=list)  # {"row", "message"}
    fatal: str = ""
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.fatal and not self.rejected

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "headers": self.headers,
            "encoding": self.encoding,
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "warnings": self.warnings,
            "fatal": self.fatal,
            "applied": self.applied,
        }


def map_row(row: dict, columns: dict[str, str], values: dict[str, dict[str, str]]) -> dict:
    """Our field → the row's value, through the column mapping and the value mappings (exact
    match first, then ignoring case and surrounding spaces)."""
    mapped = {}
    for ours, theirs in columns.items():
        raw = (row.get(theirs) or "").strip() if theirs else ""
        table = values.get(ours) or {}
        if raw in table:
            raw = str(table[raw]).strip()
        else:
            lowered = {str(k).strip().lower(): v for k, v in table.items()}
            if raw.lower() in lowered:
                raw = str(lowered[raw.lower()]).strip()
        mapped[ours] = raw
    return mapped


def guess_columns(importer: Importer, headers: list[str]) -> dict[str, str]:
    """Our field → the header with the same name (ignoring case, spaces and underscores)."""

    def norm(text):
        return re.sub(r"[\s_\-]+", "", str(text).lower())

    by_norm = {norm(h): h for h in headers}
    guessed = {}
    for column in importer.columns:
        for candidate in (column.name, column.label):
            if norm(candidate) in by_norm:
                guessed[column.name] = by_norm[norm(candidate)]
                break
    return guessed


PROGRESS_EVERY = 500


def run(
    importer: Importer,
    table: Table,
    columns: dict[str, str],
    values: dict | None = None,
    *,
    commit: bool = False,
    skip_rejected: bool = False,
    progress=None,
) -> Report:
    """Check every row and plan the import; with `commit`, write it in one transaction.

    Nothing is written on a dry run, when the mapping is incomplete, or when a row is
    rejected and `skip_rejected` is not given (then the report says so and the file can be
    fixed and uploaded again). `progress(rows_checked)` is told every PROGRESS_EVERY rows.
    """
    values = values or {}
    report = Report(importer.kind, headers=list(table.headers), encoding=table.encoding)
    columns = {ours: theirs for ours, theirs in columns.items() if theirs}
    missing = [
        c for c in importer.columns if c.required and columns.get(c.name) not in table.headers
    ]
    unknown = [theirs for theirs in columns.values() if theirs not in table.headers]
    if missing:
        report.fatal = _("No column is chosen for: %(fields)s.") % {
            "fields": ", ".join(str(c.label) for c in missing)
        }
        return report
    if unknown:
        report.fatal = _("The file has no column “%(name)s”.") % {"name": unknown[0]}
        return report
    report.total = len(table.rows)
    if not table.rows:
        report.fatal = _("The file has column names but no rows.")
        return report

    mapped_rows = [(number, raw, map_row(raw, columns, values)) for number, raw in table.rows]
    importer.prepare([mapped for _n, _r, mapped in mapped_rows])
    labels = {c.name: str(c.label) for c in importer.columns}
    seen: dict[str, int] = {}
    # A dry run (the check before a job writes) counts what it would write and keeps nothing:
    # 50,000 planned rows held at once were most of the worker's peak memory.
    creates, updates = [], []
    created = updated = 0
    for index in range(len(mapped_rows)):
        number, raw, mapped = mapped_rows[index]
        mapped_rows[index] = None
        if progress is not None and index and index % PROGRESS_EVERY == 0:
            progress(index, len(report.rejected))
        errors: list[RowError] = []
        warnings: list[str] = []
        key = mapped.get(importer.key, "")
        if raw.get("\x00extra"):
            errors.append(RowError("", _("The row has more values than the file has columns.")))
        if key and key.lower() in seen:
            errors.append(
                RowError(
                    importer.key,
                    _("The id “%(id)s” is also on row %(row)s.")
                    % {"id": key, "row": seen[key.lower()]},
                )
            )
        try:
            cleaned = importer.clean(mapped, warnings.append)
        except RowErrors as exc:
            errors += exc.errors
            cleaned = None
        except RowError as exc:
            errors.append(exc)
            cleaned = None
        instance = None
        if not errors and key:
            try:
                instance = importer.existing(key)
            except RowError as exc:
                errors.append(exc)
        if key and key.lower() not in seen:
            seen[key.lower()] = number
        if errors:
            report.rejected.append(
                {
                    "row": number,
                    "errors": [[labels.get(e.column, e.column), e.message] for e in errors],
                    "values": {h: raw.get(h, "") for h in table.headers},
                }
            )
            continue
        report.warnings += [{"row": number, "message": w} for w in warnings]
        if instance is None:
            created += 1
            if commit:
                creates.append(cleaned)
        elif importer.differs(instance, cleaned):
            updated += 1
            if commit:
                updates.append((instance, cleaned))
        else:
            report.unchanged += 1
    report.created, report.updated = created, updated
    if commit and (skip_rejected or not report.rejected) and (creates or updates):
        with transaction.atomic():
            importer.write(creates, updates)
        report.applied = True
    return report


def rejected_csv(report: dict) -> str:
    """The rejected rows as CSV, in the file's own columns plus the reasons and the row
    number: fix them and upload this file again. Cells go through the one writer
    (crm.exporting): a rejected row is the least trusted text we ever hand back."""
    headers = list(report.get("headers", []))
    rows = (
        [
            *(item["values"].get(h, "") for h in headers),
            item["row"],
            "; ".join(f"{col}: {msg}" if col else msg for col, msg in item["errors"]),
        ]
        for item in report.get("rejected", [])
    )
    return csv_text([*headers, "error_row", "error_reason"], rows)
