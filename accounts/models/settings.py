"""The dossier check's settings an admin edits."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class DossierCheckSetting(models.Model):
    """An admin's tuning of one dossier check (accounts/dossier/): its weight, or off.

    Seeded with the defaults of METHOD.md §3 by a data migration; a check without a row keeps
    its default weight.
    """

    code = models.CharField(_("check"), max_length=60, unique=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MaxValueValidator(100)],
        help_text=_("Relative weight within the check's category; 0 counts like switched off."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("dossier check")
        verbose_name_plural = _("dossier checks")
        ordering = ["code"]

    def __str__(self):
        return self.code

    def clean(self):
        from accounts.dossier import CHECKS_BY_CODE

        if self.code not in CHECKS_BY_CODE:
            raise ValidationError({"code": _("There is no dossier check with this code.")})
