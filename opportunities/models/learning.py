"""Learning from our own deals (METHOD.md §9.2): how many closed deals a move needs before its
historical win rate is suggested as its stage probability, and the record of every suggestion
an admin applied."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opportunities.rules import learning
from opportunities.rules.stages import Move


class LearningSetting(models.Model):
    """One row: the smallest sample from which the learn page suggests a probability."""

    min_closed_deals = models.PositiveIntegerField(
        _("closed deals needed to suggest a probability"),
        default=learning.DEFAULT_MIN_DEALS,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
        help_text=_(
            "Below this many closed deals that reached a move, the learn page shows the "
            "historical win rate but suggests nothing."
        ),
    )

    class Meta:
        verbose_name = _("learning setting")
        verbose_name_plural = _("learning settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="learning_setting_single_row"),
            models.CheckConstraint(
                condition=Q(min_closed_deals__gte=1), name="learning_setting_min_deals_positive"
            ),
        ]

    def __str__(self):
        return str(_("learning setting"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "LearningSetting":
        """The stored row, or the defaults when none exists yet (one query)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class ProbabilityChange(models.Model):
    """An admin applied the historical win rate as a move's stage probability: who, when, the
    old and the new value, and the sample it came from."""

    move = models.PositiveSmallIntegerField(_("move"), choices=Move)
    old_probability = models.PositiveSmallIntegerField(_("old probability (%)"))
    new_probability = models.PositiveSmallIntegerField(_("new probability (%)"))
    won = models.PositiveIntegerField(_("won deals in the sample"))
    closed = models.PositiveIntegerField(_("closed deals in the sample"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="probability_changes",
        verbose_name=_("by"),
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("applied probability")
        verbose_name_plural = _("applied probabilities")
        constraints = [
            models.CheckConstraint(
                condition=Q(old_probability__lte=100, new_probability__lte=100),
                name="probability_change_range",
            ),
        ]

    def __str__(self):
        return f"{self.move}: {self.old_probability}% → {self.new_probability}%"
