"""Import bombs: a file is bounded by what it unpacks to (rows with the blank ones, columns,
cells, characters per cell, an XLSX's unpacked parts and shared strings, checked before
openpyxl loads anything); a damaged file is a message on the upload page, never a 500; the
file is parsed once at upload and its rows kept."""

import io
import zipfile
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from imports import reading
from imports.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def xlsx(rows, *, replace=None, stored=False) -> bytes:
    """An XLSX of `rows`, its parts rewritten by `replace` ({part: bytes or a function})."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as target:
        names = source.namelist()
        for name in names + [n for n in replace or {} if n not in names]:
            data = source.read(name) if name in names else b""
            change = (replace or {}).get(name)
            if change is not None:
                data = change(data) if callable(change) else change
            target.writestr(name, data)
    return out.getvalue()


def refused(content: bytes, name="f.csv") -> str:
    with pytest.raises(reading.SourceError) as error:
        reading.read_table(content, name)
    return error.value.message


def test_blank_lines_count_toward_the_row_limit(settings):
    settings.IMPORT_MAX_ROWS = 5
    assert len(reading.read_table(b"a\n1\n2\n3\n4\n5\n").rows) == 5
    assert refused(b"a\n" + b"\n" * 10 + b"1\n") == "The file has more than 5 rows: split it."


def test_columns_cells_and_long_cells_are_bounded(settings):
    settings.IMPORT_MAX_COLUMNS, settings.IMPORT_MAX_CELLS = 3, 6
    settings.IMPORT_MAX_CELL_CHARS = 10
    assert refused(b"a,b,c,d\n1,2,3,4\n") == "The file has more than 3 columns: split it."
    assert refused(b"a,b\n1,2\n3,4\n5,6\n7,8\n") == "The file has more than 6 cells: split it."
    assert refused(b"a\n" + b"x" * 11 + b"\n") == ("A cell on row 2 has more than 10 characters.")
    # Trailing empty cells of a spreadsheet row are no columns.
    assert reading.read_table(b"a,b\n1,2,,,,,\n").headers == ["a", "b"]


def test_an_xlsx_is_measured_unpacked_before_openpyxl_opens_it(settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 100_000
    bomb = xlsx([["name"], ["x"]], replace={"docProps/app.xml": b" " * 200_000})
    with mock.patch("openpyxl.load_workbook") as load:
        message = refused(bomb, "a.xlsx")
    assert message == "The spreadsheet unpacks to more than 0 MB: split it."
    load.assert_not_called()


def test_shared_strings_are_counted_before_loading(settings):
    settings.IMPORT_MAX_SHARED_STRINGS = 10
    strings = b"<sst>" + b"".join(b"<si><t>%d</t></si>" % i for i in range(11)) + b"</sst>"
    content = xlsx([["name"]], replace={"xl/sharedStrings.xml": strings})
    assert refused(content, "a.xlsx") == "The file has more than 10 distinct texts: split it."


def test_a_sheet_claiming_a_huge_size_is_read_as_it_comes(settings):
    settings.IMPORT_MAX_ROWS = 100

    def far_away(data):
        data = data.replace(b'<dimension ref="A1:A2"/>', b'<dimension ref="A1:XFD1048576"/>')
        return data.replace(b'r="2"', b'r="1000000"').replace(b'r="A2"', b'r="A1000000"')

    content = xlsx([["name"], ["x"]], replace={"xl/worksheets/sheet1.xml": far_away})
    assert refused(content, "a.xlsx") == "The file has more than 100 rows: split it."
    content = xlsx(
        [["name"], ["x"]],
        replace={
            "xl/worksheets/sheet1.xml": lambda d: d.replace(
                b'<dimension ref="A1:A2"/>', b'<dimension ref="A1:XFD1048576"/>'
            )
        },
    )
    table = reading.read_table(content, "a.xlsx")
    assert (table.headers, [row for _n, row in table.rows]) == (["name"], [{"name": "x"}])


def test_entities_are_refused():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]>'
        b"<sst><si><t>&lol;</t></si></sst>"
    )
    content = xlsx([["name"], ["x"]], replace={"xl/sharedStrings.xml": laughs})
    assert refused(content, "a.xlsx").startswith("This is not a CSV or XLSX file")


@pytest.mark.parametrize(
    ("replace", "stored", "start"),
    [
        ({"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}, False, "The spreadsheet c"),
        ({"xl/workbook.xml": b"<<<"}, False, "The spreadsheet cannot be read (ParseError)"),
        ({"xl/worksheets/sheet1.xml": lambda d: d.replace(b"<c ", b"<c t='d' ")}, False, "The"),
        (None, True, "The spreadsheet is damaged (BadZipFile)"),
    ],
)
def test_a_damaged_xlsx_says_so(replace, stored, start):
    content = xlsx([["name"], ["MARKER"]], replace=replace, stored=stored)
    if replace is None:  # one byte of a stored part changed: its CRC fails
        content = content.replace(b"MARKER", b"MARKET")
    assert refused(content, "a.xlsx").startswith(start)


def test_a_utf16_file_that_is_not_says_so():
    assert "UTF-16" in refused(b"\xff\xfea\x00,\x00b")


def test_a_damaged_file_is_a_message_on_the_upload_page(personas, client_for):
    content = xlsx([["name"], ["x"]], replace={"xl/worksheets/sheet1.xml": b"<worksheet><"})
    response = client_for(personas.manager).post(
        reverse("opportunities:import"),
        {"kind": "accounts", "file": SimpleUploadedFile("a.xlsx", content)},
    )
    assert response.status_code == 200
    with translation.override("zh-hans"):  # the page speaks the user's language
        expected = translation.gettext(
            "The spreadsheet cannot be read (%(reason)s): save it again and upload it again."
        ) % {"reason": "ParseError"}
    assert response.context["form"].errors["file"] == [expected]
    assert not ImportBatch.objects.exists()


def test_the_file_is_parsed_once_and_its_rows_kept(
    personas, client_for, django_capture_on_commit_callbacks
):
    client = client_for(personas.manager)
    content = b"external_id,name\nA1,Acme\nA2,Beta\n"
    client.post(
        reverse("opportunities:import"),
        {"kind": "accounts", "file": SimpleUploadedFile("a.csv", content)},
    )
    batch = ImportBatch.objects.get()
    assert (batch.headers, batch.rows) == (
        ["external_id", "name"],
        [[2, ["A1", "Acme"], False], [3, ["A2", "Beta"], False]],
    )
    url = reverse("opportunities:import_batch", args=[batch.pk])
    with mock.patch.object(reading, "read_table", side_effect=AssertionError("parsed again")):
        assert client.get(url).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            client.post(url, {"action": "confirm"})
    assert ImportBatch.objects.get().state == ImportBatch.State.IMPORTED
