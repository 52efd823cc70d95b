"""The stagnation setting an admin edits."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class StagnationSetting(models.Model):
    """After how many days on one stage a person of an open deal counts as stagnant (METHOD.md
    §4.5, an inference [I]: so an admin setting). One row; without it the default applies."""

    days = models.PositiveSmallIntegerField(
        _("days on one stage"),
        help_text=_("A person of an open deal whose stage has not moved for longer is flagged."),
    )

    class Meta:
        verbose_name = _("stagnation setting")
        verbose_name_plural = _("stagnation setting")
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="stagnation_days_positive"),
        ]

    def __str__(self):
        return str(self.days)
