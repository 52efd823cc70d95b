"""Sales targets per rep and period, and the pipeline settings an admin edits: the attainment
colours of METHOD.md §9.1 ("colour management": green / yellow / red / black) and what counts
as a late entry (§9.2)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from crm import policy
from crm.models import TimeStampedModel

MONEY = {"max_digits": 16, "decimal_places": 2}


class SalesTargetQuerySet(models.QuerySet):
    def visible_to(self, user):
        return policy.visible(self, user, owner="owner")


class SalesTarget(TimeStampedModel):
    """A rep's target of signed orders (签约金额) for one period, set by an admin."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sales_targets",
        verbose_name=_("rep"),
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"), help_text=_("The last day of the period."))
    amount = models.DecimalField(
        _("target (CNY)"),
        **MONEY,
        validators=[MinValueValidator(0)],
        help_text=_("Signed orders the rep should win in this period."),
    )

    objects = SalesTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")
        indexes = [
            # Pipeline page: the targets of the reps in scope inside the chosen period.
            models.Index(fields=["owner", "period_start"], name="sales_target_owner_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="sales_target_period_order"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="sales_target_not_negative"),
            models.UniqueConstraint(
                fields=["owner", "period_start", "period_end"], name="sales_target_unique_period"
            ),
        ]

    def __str__(self):
        return f"{self.owner_id}: {self.period_start}–{self.period_end}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})
