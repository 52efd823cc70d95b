"""Reading an uploaded file: CSV (in the encodings Chinese spreadsheets write) or XLSX into a
header and rows of text, within the limits of an upload (settings.IMPORT_MAX_*): rows (blank
ones included), columns, cells, characters per cell, and for an XLSX the unpacked size of its
parts and its shared strings, checked on the zip before openpyxl loads anything. Whatever is
wrong with a file is a SourceError with a message for the person who uploaded it."""

from __future__ import annotations

import csv
import datetime
import io
import re
import zipfile
import zlib
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


def _limit(name: str) -> int:
    return getattr(settings, f"IMPORT_MAX_{name}")


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


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

    def as_json(self) -> dict:
        """The parsed rows to keep with the upload, as lists in the order of the headers."""
        return {
            "headers": self.headers,
            "encoding": self.encoding,
            "rows": [
                [number, [row.get(h, "") for h in self.headers], "\x00extra" in row]
                for number, row in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> Table:
        headers = data["headers"]
        rows = []
        for number, cells, extra in data["rows"]:
            row = dict(zip(headers, cells, strict=True))
            if extra:
                row["\x00extra"] = "1"
            rows.append((number, row))
        return cls(headers, rows, data.get("encoding", ""))


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


def _too_many(what: str, limit: int) -> SourceError:
    return SourceError(
        _("The file has more than %(max)s %(what)s: split it.")
        % {"max": f"{limit:,}", "what": what}
    )


def _table(raw_rows, encoding: str) -> Table:
    max_rows, max_columns = _limit("ROWS"), _limit("COLUMNS")
    max_cells, max_chars = _limit("CELLS"), _limit("CELL_CHARS")
    headers: list[str] | None = None
    rows = []
    cells_kept = 0
    for number, raw in enumerate(raw_rows, start=1):
        # Blank lines count: a file of empty rows is no cheaper to read than a full one.
        if number > max_rows + 1:
            raise _too_many(_("rows"), max_rows)
        if len(raw) > max_columns and any(c not in (None, "") for c in raw[max_columns:]):
            raise _too_many(_("columns"), max_columns)
        cells = [_cell(c) for c in raw[: max_columns + 1]]
        if any(len(c) > max_chars for c in cells):
            raise SourceError(
                _("A cell on row %(row)s has more than %(max)s characters.")
                % {"row": number, "max": f"{max_chars:,}"}
            )
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
        cells_kept += len(headers)
        if cells_kept > max_cells:
            raise _too_many(_("cells"), max_cells)
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
        try:
            return content.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise SourceError(
                _("The file says it is UTF-16 text but is not: save it as “CSV UTF-8”.")
            ) from exc
    if b"\x00" in content:
        raise _not_a_table()
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
    if len(content) > _limit("UPLOAD_BYTES"):
        raise SourceError(
            _("The file is larger than %(size)s: split it.")
            % {"size": _megabytes(_limit("UPLOAD_BYTES"))}
        )
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


def _not_a_table() -> SourceError:
    return SourceError(_("This is not a CSV or XLSX file: upload a table saved as CSV or XLSX."))


SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
# XML that declares entities is refused outright: a spreadsheet never needs them, and they
# are how a small part unpacks into a huge text.
DECLARATION = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_zip(content: bytes) -> None:
    """Refuse a zip that unpacks beyond the limits, before anything parses it: the declared
    sizes bound what zipfile will inflate (a longer member fails its CRC), and every member
    is read once here, in chunks, so that a bad CRC or a broken stream is found now."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _not_a_table() from exc
    limit = _limit("UNPACKED_BYTES")
    if sum(m.file_size for m in members) > limit:
        raise SourceError(
            _("The spreadsheet unpacks to more than %(size)s: split it.")
            % {"size": _megabytes(limit)}
        )
    strings, max_strings = 0, _limit("SHARED_STRINGS")
    try:
        for member in members:
            shared = member.filename.lower().endswith("sharedstrings.xml")
            tail = b""
            with archive.open(member) as stream:
                while chunk := stream.read(1 << 20):
                    window = tail + chunk
                    if DECLARATION.search(window):
                        raise _not_a_table()
                    if shared:
                        strings += len(SHARED_STRING.findall(chunk))
                        if strings > max_strings:
                            raise _too_many(_("distinct texts"), max_strings)
                    tail = window[-16:]
    except SourceError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        NotImplementedError,
    ) as exc:
        raise SourceError(
            _("The spreadsheet is damaged (%(reason)s): save it again and upload it again.")
            % {"reason": type(exc).__name__}
        ) from exc


def _unreadable(exc: Exception) -> SourceError:
    return SourceError(
        _("The spreadsheet cannot be read (%(reason)s): save it again and upload it again.")
        % {"reason": type(exc).__name__}
    )


def _read_xlsx(content: bytes) -> Table:
    from openpyxl import load_workbook

    _check_zip(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 — a hostile file can make the parser raise anything
        raise _unreadable(exc) from exc
    try:
        sheet = workbook.worksheets[0]
        # The sheet's own claim of its size is not trusted: rows are read as they come.
        sheet.reset_dimensions()
        return _table(sheet.iter_rows(values_only=True), "XLSX")
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 — malformed XML, a bad date, a missing part …
        raise _unreadable(exc) from exc
    finally:
        workbook.close()
