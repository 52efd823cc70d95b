"""The generic half of imports: read a CSV or XLSX file into rows, map its columns and values
onto ours, check every row, plan what would be created / updated / left unchanged, and write
the plan in bulk. Every rejected row keeps its number in the file and the reasons.

Each app describes its own records in `<app>/resources.py` (an `Importer` per kind, beside
the django-import-export `Resource` used for exports); `imports/services.py` runs them.
Nothing here knows a model: it is shared by every app, so it lives at the bottom (crm).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.db.models import TextChoices
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from crm.exporting import csv_text

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024


class SourceError(Exception):
    """The file as a whole cannot be read (empty, not a table, wrong encoding, …)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RowError(Exception):
    """One value of one row is wrong; `column` is our field name."""

    def __init__(self, column: str, message: str):
        super().__init__(message)
        self.column = column
        self.message = message


class RowErrors(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


# --- reading a file ------------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (row number as a spreadsheet shows it, cells)
    encoding: str = ""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _table(raw_rows, encoding: str) -> Table:
    headers: list[str] | None = None
    rows = []
    for number, cells in enumerate(raw_rows, start=1):
        cells = [_cell(c) for c in cells]
        if not any(cells):
            continue  # blank lines are not rows
        if headers is None:
            headers = [c.strip() for c in cells]
            while headers and not headers[-1]:
                headers.pop()
            seen = set()
            for header in headers:
                if not header:
                    raise SourceError(_("A column in the first row has no name."))
                if header in seen:
                    raise SourceError(
                        _("The column “%(name)s” appears twice in the first row.")
                        % {"name": header}
                    )
                seen.add(header)
            continue
        if len(rows) >= MAX_ROWS:
            raise SourceError(
                _("The file has more than %(max)s rows: split it.") % {"max": f"{MAX_ROWS:,}"}
            )
        row = {header: (cells[i] if i < len(cells) else "") for i, header in enumerate(headers)}
        if any(cells[len(headers) :]):
            row["\x00extra"] = "1"  # more values than columns: reported by the engine
        rows.append((number, row))
    if headers is None:
        raise SourceError(_("The file is empty."))
    return Table(headers, rows, encoding)


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8"), "UTF-8"
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16"), "UTF-16"
    if b"\x00" in content:
        raise SourceError(_("This is not a CSV or XLSX file: upload a table saved as CSV or XLSX."))
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        # What Excel on a Chinese Windows saves as "CSV".
        return content.decode("gb18030"), "GB18030"
    except UnicodeDecodeError as exc:
        raise SourceError(
            _(
                "The file is neither UTF-8 nor GB18030 (GBK) text: save it as “CSV UTF-8” "
                "and upload it again."
            )
        ) from exc


def read_table(content: bytes, filename: str = "") -> Table:
    """The rows of a CSV (UTF-8, GB18030 or UTF-16; comma, semicolon or tab) or XLSX file
    (its first sheet). Raises SourceError with a message for the person who uploaded it."""
    if len(content) > MAX_BYTES:
        raise SourceError(_("The file is larger than 20 MB: split it."))
    if not content.strip():
        raise SourceError(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        return _read_xlsx(content)
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError(_("Old Excel files (.xls) cannot be read: save it as .xlsx or CSV."))
    text, encoding = _decode(content)
    if not text.strip():
        raise SourceError(_("The file is empty."))
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    try:
        return _table(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), encoding)
    except csv.Error as exc:
        raise SourceError(_("The file is not a readable CSV table.")) from exc


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(
            _("This is not a CSV or XLSX file: upload a table saved as CSV or XLSX.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return _table(sheet.iter_rows(values_only=True), "XLSX")
    finally:
        workbook.close()


# --- values --------------------------------------------------------------------------------------

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def parse_date(column: str, value: str) -> datetime.date | None:
    if not value:
        return None
    text = value.strip()[:10] if re.match(r"^\d{4}-\d{2}-\d{2}[T ]", value) else value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(column, _("“%(value)s” is not a date: write YYYY-MM-DD.") % {"value": value})


def parse_decimal(column: str, value: str, *, places: int = 2) -> Decimal | None:
    if not value:
        return None
    text = value.replace(",", "").replace(" ", "").lstrip("¥$€£")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise RowError(column, _("“%(value)s” is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise RowError(column, _("“%(value)s” is not a number.") % {"value": value})
    if number < 0:
        raise RowError(column, _("“%(value)s” is negative.") % {"value": value})
    if abs(number) >= Decimal(10) ** 13:
        raise RowError(column, _("“%(value)s” is too large.") % {"value": value})
    return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def parse_int(column: str, value: str, *, minimum: int = 0, maximum: int = 2**31 - 1):
    if not value:
        return None
    text = value.replace(",", "").strip()
    if re.fullmatch(r"-?\d+(\.0+)?", text) is None:
        raise RowError(column, _("“%(value)s” is not a whole number.") % {"value": value})
    number = int(Decimal(text))
    if number < minimum or number > maximum:
        raise RowError(
            column,
            _("%(value)s is outside %(min)s–%(max)s.")
            % {"value": number, "min": minimum, "max": maximum},
        )
    return number


TRUE = {"1", "true", "yes", "y", "是", "x", "✓"}
FALSE = {"0", "false", "no", "n", "否", ""}


def parse_bool(column: str, value: str, *, default: bool = False) -> bool:
    if value == "":
        return default
    lowered = value.strip().lower()
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise RowError(column, _("“%(value)s” is not yes or no.") % {"value": value})


def parse_choice(column: str, value: str, choices: type[TextChoices], default=""):
    """A choice by its code or its label (either language's part of a bilingual label)."""
    if not value:
        return default
    wanted = value.strip().lower()
    for code, label in choices.choices:
        label = str(label).lower()
        parts = {label, *re.split(r"[()（）]", label)}
        if wanted == str(code).lower() or wanted in {p.strip() for p in parts if p.strip()}:
            return code
    allowed = ", ".join(str(code) for code in choices.values)
    raise RowError(
        column,
        _("“%(value)s” is not one of: %(allowed)s.") % {"value": value, "allowed": allowed},
    )


def parse_text(column: str, value: str, *, max_length: int) -> str:
    if len(value) > max_length:
        raise RowError(column, _("Longer than %(max)s characters.") % {"max": max_length})
    return value


def parse_email(column: str, value: str) -> str:
    if not value:
        return ""
    try:
        EmailValidator()(value)
    except ValidationError:
        raise RowError(
            column, _("“%(value)s” is not an email address.") % {"value": value}
        ) from None
    return value


def parse_url(column: str, value: str) -> str:
    if not value:
        return ""
    url = value if "://" in value else f"https://{value}"
    try:
        URLValidator()(url)
    except ValidationError:
        raise RowError(column, _("“%(value)s” is not a web address.") % {"value": value}) from None
    return url


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


def run(
    importer: Importer,
    table: Table,
    columns: dict[str, str],
    values: dict | None = None,
    *,
    commit: bool = False,
    skip_rejected: bool = False,
) -> Report:
    """Check every row and plan the import; with `commit`, write it in one transaction.

    Nothing is written on a dry run, when the mapping is incomplete, or when a row is
    rejected and `skip_rejected` is not given (then the report says so and the file can be
    fixed and uploaded again).
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
    creates, updates = [], []
    for number, raw, mapped in mapped_rows:
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
            creates.append(cleaned)
        elif importer.differs(instance, cleaned):
            updates.append((instance, cleaned))
        else:
            report.unchanged += 1
    report.created, report.updated = len(creates), len(updates)
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
