"""Reading an uploaded file: CSV (in the encodings Chinese spreadsheets write) or XLSX into a
header and rows of text, within the limits of an upload."""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_ROWS = 50_000


MAX_BYTES = 20 * 1024 * 1024


class SourceError(Exception):
    """The file as a whole cannot be read (empty, not a table, wrong encoding, …)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
