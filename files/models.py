"""Files on records (issue 21): a document (a proposal, a contract, a visit photo) attached to
one record, and its versions, newest last. The bytes live in the storage named "files"
(settings.STORAGES: the file system under var/ by default, S3-compatible in production) under
a random name; the name the user gave is kept in the row and used when the file is served,
only through files.views (never a public URL)."""

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.utils.translation import gettext_lazy as _

from crm.models import TimeStampedModel


class FilesStorage(LazyObject):
    """The "files" storage, looked up again when settings.STORAGES changes (a FileField takes
    its storage once, when the model is defined; a test run points it at a folder of its own)."""

    def _setup(self):
        self._wrapped = storages["files"]


STORAGE = FilesStorage()


def file_storage():
    return STORAGE


@receiver(setting_changed)
def storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        STORAGE._wrapped = empty


def stored_name(instance, filename) -> str:
    """A random path: the user's name never reaches the file system (it is kept in `name`)."""
    return f"{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}"


def thumbnail_name(instance, filename) -> str:
    return f"thumbnails/{uuid.uuid4().hex}.png"


class DocumentQuerySet(models.QuerySet):
    def of(self, record):
        content_type = ContentType.objects.get_for_model(record, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id=record.pk)

    def kept(self):
        return self.filter(deleted_at__isnull=True)


class Document(TimeStampedModel):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    # Deleting hides a document and all its versions; an admin may restore it until the
    # nightly purge removes it for good (FILES_KEEP_DELETED_DAYS).
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["content_type", "object_id"], name="document_record_idx")]

    def __str__(self):
        return self.title


class Version(models.Model):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), storage=file_storage, upload_to=stored_name, max_length=200)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    mime_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField(max_length=64)
    thumbnail = models.FileField(
        storage=file_storage, upload_to=thumbnail_name, max_length=200, blank=True
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded"))

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="version_number_unique")
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"

    @property
    def is_image(self) -> bool:
        return self.mime_type.startswith("image/")
