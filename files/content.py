"""What an uploaded file is, read from its bytes (never from its name or the browser's word):
its type among those allowed, its size within the limit, a name safe to show, a thumbnail for
an image. An .exe renamed .pdf is refused as what it is."""

import hashlib
import io
import unicodedata
import warnings
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

HEAD = 8192
THUMBNAIL = (320, 320)
IMAGES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
ALLOWED = {
    "application/pdf",
    *IMAGES,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/zip",
    "text/plain",
}
TEXT_ENCODINGS = ("utf-8", "gb18030")


@dataclass(frozen=True)
class Checked:
    name: str
    size: int
    mime_type: str
    sha256: str
    thumbnail: bytes | None


def clean_name(raw: str) -> str:
    """The user's file name without folders or control characters, at most 255 characters;
    Chinese and spaces are kept."""
    base = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip(" .")
    if len(base) > 255:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 254 - len(ext)] + dot + ext) if dot and len(ext) < 20 else base[:255]
    return base or _("file")


def sniff(head: bytes) -> str | None:
    """The type the bytes say, or None: text when they read as text, else what filetype knows."""
    kind = filetype.guess(head)
    if kind is not None:
        return kind.mime
    if head and b"\x00" not in head:
        for encoding in TEXT_ENCODINGS:
            try:
                head.decode(encoding)
            except UnicodeDecodeError:
                # The head may cut a character in two: judge all but its last 3 bytes.
                try:
                    head[:-3].decode(encoding)
                except UnicodeDecodeError:
                    continue
            return "text/plain"
    return None


def check(upload) -> Checked:
    """Read `upload` (an UploadedFile) once: a ValidationError with the reason, or what it is."""
    limit = settings.FILES_MAX_BYTES
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; at most %(limit)s is accepted.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(HEAD)
    mime = sniff(head)
    if mime not in ALLOWED:
        raise ValidationError(
            _(
                "This kind of file is not accepted (%(type)s). Attach PDF, Office documents, "
                "images (JPEG, PNG, GIF, WebP), text or ZIP files."
            )
            % {"type": mime or _("unknown")},
            code="type",
        )
    digest = hashlib.sha256(head)
    for chunk in iter(lambda: upload.read(1 << 20), b""):
        digest.update(chunk)
    upload.seek(0)
    thumbnail = _thumbnail(upload) if mime in IMAGES else None
    upload.seek(0)
    return Checked(clean_name(upload.name), upload.size, mime, digest.hexdigest(), thumbnail)


def _thumbnail(upload) -> bytes:
    """A PNG at most 320 px a side; an image too large to open safely is refused."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image.thumbnail(THUMBNAIL)
                out = io.BytesIO()
                image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB").save(
                    out, "PNG"
                )
                return out.getvalue()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image has too many pixels to open safely."), code="bomb"
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ValidationError(_("The image could not be read."), code="broken") from exc
