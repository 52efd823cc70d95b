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


class TrustLearningSetting(models.Model):
    """How the "what builds trust" page counts (relationships/learning.py): an activity counts
    as followed by an advance when the person moves up the ladder within `days` days; a figure
    from fewer than `min_count` cases is marked as too few. One row; without it the defaults
    apply."""

    days = models.PositiveSmallIntegerField(
        _("days to an advance"),
        default=30,
        help_text=_("An advance of the person within this many days counts for the activity."),
    )
    min_count = models.PositiveSmallIntegerField(
        _("smallest sample"),
        default=10,
        help_text=_("Figures from fewer cases are shown as too few to tell."),
    )

    class Meta:
        verbose_name = _("trust learning setting")
        verbose_name_plural = _("trust learning setting")
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="trust_learning_days_positive"),
            models.CheckConstraint(
                condition=Q(min_count__gte=1), name="trust_learning_min_count_positive"
            ),
        ]

    def __str__(self):
        return f"{self.days} / {self.min_count}"
