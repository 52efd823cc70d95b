"""Writes of files: attach a document or a new version of one, delete (recoverably), restore,
purge what was deleted long enough ago. A row is written only with its bytes stored, and bytes
stored for a row that could not be written are removed again."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from files.content import Checked
from files.models import Document, Version


def attach(
    record,
    upload,
    checked: Checked,
    *,
    by,
    now: datetime,
    title: str = "",
    document: Document | None = None,
) -> Version:
    """A new document on `record` (titled `title`, else the file's name without its extension),
    or the next version of `document`."""
    stored = []
    try:
        with transaction.atomic():
            if document is None:
                stem = checked.name.rsplit(".", 1)[0] if "." in checked.name else checked.name
                document = Document.objects.create(
                    record=record, title=(title or stem)[:200], created_by=by
                )
                number = 1
            else:
                document = Document.objects.select_for_update().get(pk=document.pk)
                number = (document.versions.aggregate(n=Max("number"))["n"] or 0) + 1
            version = Version(
                document=document,
                number=number,
                name=checked.name,
                size=checked.size,
                mime_type=checked.mime_type,
                sha256=checked.sha256,
                uploaded_by=by,
                uploaded_at=now,
            )
            version.file.save(checked.name, upload, save=False)
            stored.append(version.file)
            if checked.thumbnail:
                version.thumbnail.save("thumbnail.png", ContentFile(checked.thumbnail), save=False)
                stored.append(version.thumbnail)
            version.save()
            document.save(update_fields=["updated_at"])
    except BaseException:
        for field in stored:
            field.storage.delete(field.name)
        raise
    return version


def delete(document: Document, *, by, now: datetime) -> None:
    document.deleted_at, document.deleted_by = now, by
    document.save(update_fields=["deleted_at", "deleted_by", "updated_at"])


def restore(documents) -> int:
    return documents.update(deleted_at=None, deleted_by=None)


def purge(now: datetime) -> int:
    """Remove for good the documents deleted more than FILES_KEEP_DELETED_DAYS ago, bytes first."""
    before = now - timedelta(days=settings.FILES_KEEP_DELETED_DAYS)
    gone = 0
    for document in Document.objects.filter(deleted_at__lt=before).prefetch_related("versions"):
        for version in document.versions.all():
            for field in (version.file, version.thumbnail):
                if field:
                    field.storage.delete(field.name)
        document.delete()
        gone += 1
    return gone
