"""Where a merged account or person went (issue 20): the old address of a record merged into
another keeps working (it redirects to the survivor), and the merge stays on record."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MergeRecord(models.Model):
    old_pk = models.PositiveBigIntegerField(_("old id"), unique=True)
    old_name = models.CharField(_("old name"), max_length=200)
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("merged by"),
    )
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    moved = models.JSONField(_("what moved"), default=dict)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.old_name} → {self.survivor_id}"


class MergedAccount(MergeRecord):
    survivor = models.ForeignKey(
        "accounts.Account",
        on_delete=models.CASCADE,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    class Meta:
        app_label = "accounts"
        verbose_name = _("merged account")
        verbose_name_plural = _("merged accounts")


class MergedContact(MergeRecord):
    survivor = models.ForeignKey(
        "accounts.Contact",
        on_delete=models.CASCADE,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    class Meta:
        app_label = "accounts"
        verbose_name = _("merged contact")
        verbose_name_plural = _("merged contacts")
