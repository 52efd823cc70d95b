"""What a file is comes from its bytes (files.content): the type table, the size limit, names
kept (Chinese too) and cleaned, thumbnails, and images too large to open safely."""

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from files import content


def png(width=40, height=30) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def bomb_png(width=30000, height=30000) -> bytes:
    """A valid PNG header claiming 900 million pixels, in a few hundred bytes."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200
ZIP = b"PK\x03\x04" + b"\x00" * 26 + b"a.txt"


def upload(data: bytes, name: str = "file.bin"):
    return SimpleUploadedFile(name, data)


@pytest.mark.parametrize(
    ("data", "name", "mime"),
    [
        (PDF, "方案建议书.pdf", "application/pdf"),
        (PDF, "misnamed.docx", "application/pdf"),  # the bytes decide, not the name
        (png(), "现场照片.png", "image/png"),
        ("拜访纪要：客户关注交付周期。\n".encode(), "纪要.txt", "text/plain"),
        ("a,b\n1,2\n".encode("gb18030"), "data.csv", "text/plain"),
        (ZIP, "archive.zip", "application/zip"),
    ],
)
def test_accepted_files_are_known_by_their_bytes(data, name, mime):
    assert content.check(upload(data, name)).mime_type == mime


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (EXE, "合同.pdf", "type"),  # an executable renamed .pdf
        (b"\x00\x01\x02\x03" * 100, "data.bin", "type"),
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='x'/>\x00", "a.svg", "type"),
        (b"", "empty.pdf", "empty"),
        (bomb_png(), "huge.png", "bomb"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png", "broken"),
    ],
)
def test_refused_files_say_why(data, name, code):
    with pytest.raises(ValidationError) as error:
        content.check(upload(data, name))
    assert error.value.code == code


def test_the_size_limit_is_checked_before_anything_is_read(settings):
    settings.FILES_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        content.check(upload(PDF * 10, "big.pdf"))
    assert error.value.code == "too_big"
    assert "at most 100\xa0bytes" in error.value.messages[0]


def test_an_image_gets_a_small_png_thumbnail():
    checked = content.check(upload(png(1200, 600), "photo.png"))
    with Image.open(io.BytesIO(checked.thumbnail)) as thumb:
        assert thumb.format == "PNG" and max(thumb.size) == 320


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("方案建议书 v2.pdf", "方案建议书 v2.pdf"),
        ("C:\\Users\\李娜\\合同.docx", "合同.docx"),
        ("../../etc/passwd", "passwd"),
        ("evil\r\nname.pdf", "evilname.pdf"),
        ("...", "file"),
    ],
)
def test_names_are_kept_without_folders_or_control_characters(raw, kept):
    assert content.clean_name(raw) == kept


@given(st.text(max_size=400))
def test_a_cleaned_name_is_never_a_path_and_never_too_long(raw):
    name = content.clean_name(raw)
    assert name and "/" not in name and "\\" not in name and len(name) <= 255
