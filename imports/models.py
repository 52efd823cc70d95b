"""Imports: reusable column and value mappings, and each uploaded file with its report."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm import policy
from crm.models import TimeStampedModel


class ImportKind(models.TextChoices):
    """What one file holds; the order is the order to import a whole data set in."""

    USERS = "users", _("users and teams")
    PRODUCTS = "products", _("products")
    ACCOUNTS = "accounts", _("accounts (客户)")
    CONTACTS = "contacts", _("contacts")
    OPPORTUNITIES = "opportunities", _("opportunities")


class ImportMapping(TimeStampedModel):
    """A saved mapping: which column of the source holds which of our fields, and how the
    source's values translate into ours (e.g. product `GTXPro` → `GTX Pro`, deal stage
    `Won` → `won`). Shared by everyone who imports; chosen again for the next file."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind of data"), max_length=20, choices=ImportKind)
    columns = models.JSONField(
        _("columns"), default=dict, blank=True, help_text=_("Our field → the source's column.")
    )
    values = models.JSONField(
        _("value mappings"),
        default=dict,
        blank=True,
        help_text=_("Our field → {the source's value: ours}."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="import_mappings",
        verbose_name=_("created by"),
    )

    class Meta:
        db_table = "opportunities_importmapping"  # kept from before the imports app
        verbose_name = _("import mapping")
        verbose_name_plural = _("import mappings")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, user):
        """An upload is seen by the person who made it (and admins): it may hold rows of
        records nobody else may see."""
        return policy.own(self, user, owner="created_by")


class ImportBatch(TimeStampedModel):
    """One uploaded file: kept in the database (not on a worker's disk) between the dry-run
    preview and the confirmed run, with the mapping used and the last report. The raw file
    and its parsed rows are deleted after `IMPORT_RETENTION_DAYS` (imports.tasks); the report
    stays."""

    class State(models.TextChoices):
        PREVIEWED = "previewed", _("previewed (nothing written)")
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("importing")
        IMPORTED = "imported", _("imported")

    class Phase(models.TextChoices):
        CHECKING = "checking", _("checking every row")
        WRITING = "writing", _("writing")

    kind = models.CharField(_("kind of data"), max_length=20, choices=ImportKind)
    filename = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content"))
    # The file parsed once at upload (imports.reading.Table.as_json): the pages and the
    # confirmed run read these, never the raw file again.
    headers = models.JSONField(_("columns of the file"), default=list, blank=True)
    rows = models.JSONField(_("parsed rows"), default=list, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    purged_at = models.DateTimeField(_("upload deleted"), null=True, blank=True)
    mapping = models.ForeignKey(
        ImportMapping,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="batches",
        verbose_name=_("saved mapping"),
    )
    columns = models.JSONField(_("columns"), default=dict, blank=True)
    values = models.JSONField(_("value mappings"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State, default=State.PREVIEWED, db_index=True
    )
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    # The confirmed run is a job on the worker (imports/jobs.py): checked, then written in
    # batches, each batch and the progress below committed together, so that a run killed
    # midway resumes after its last committed batch and writes nothing twice.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    skip_rejected = models.BooleanField(_("leave out the rejected rows"), default=False)
    phase = models.CharField(_("phase"), max_length=10, choices=Phase, blank=True)
    rows_total = models.PositiveIntegerField(_("rows in all"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    batches_done = models.PositiveIntegerField(_("batches written"), default=0)
    rejected_so_far = models.PositiveIntegerField(_("rejected so far"), default=0)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="import_batches",
        verbose_name=_("uploaded by"),
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        db_table = "opportunities_importbatch"  # kept from before the imports app
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        indexes = [
            # Import page: the user's recent uploads.
            models.Index(fields=["created_by", "created_at"], name="import_batch_user_idx"),
        ]

    def __str__(self):
        return self.filename

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    def interrupted(self, now) -> bool:
        """A run whose worker has given no sign of life for IMPORT_STALE_SECONDS: it died (or
        never started) and may be resumed."""
        if not self.in_progress:
            return False
        last = self.heartbeat_at or self.updated_at
        return (now - last).total_seconds() > settings.IMPORT_STALE_SECONDS

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 0
        # Checking is the first half of the bar, writing the second.
        half = 50 * self.rows_done // self.rows_total
        return half + (50 if self.phase == self.Phase.WRITING else 0)
