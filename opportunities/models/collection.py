"""Move 6 回收账款 (METHOD.md §8): payment milestones, receipts, and the commitments we made."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.models import TimeStampedModel
from opportunities.models.needs import MONEY, OpportunityPartQuerySet

ZERO = Decimal(0)
MONEY_FIELD = DecimalField(max_digits=16, decimal_places=2)


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    INVOICED = "invoiced", _("invoiced")
    PAID = "paid", _("paid")


class PaymentMilestone(TimeStampedModel):
    """回款节点: an amount due on a date, on a condition (e.g. acceptance sign-off). `status`
    becomes "paid" when the receipts cover the amount (kept by opportunities.deals.services)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="payment_milestones",
        verbose_name=_("opportunity"),
    )
    name = models.CharField(
        _("milestone"), max_length=100, help_text=_("e.g. “30% when the contract is signed”.")
    )
    amount = models.DecimalField(_("amount (CNY)"), **MONEY, validators=[MinValueValidator(0.01)])
    due_date = models.DateField(_("due date"))
    condition = models.CharField(
        _("condition"), max_length=200, blank=True, help_text=_("e.g. acceptance sign-off.")
    )
    invoice_number = models.CharField(_("invoice number"), max_length=60, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=MilestoneStatus,
        default=MilestoneStatus.PLANNED,
        editable=False,
    )

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment milestone")
        verbose_name_plural = _("payment milestones")
        indexes = [
            # Receivables page and cash forecast: unpaid milestones by due date.
            models.Index(fields=["status", "due_date"], name="milestone_status_due_idx"),
            models.Index(fields=["opportunity", "due_date"], name="milestone_opp_due_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="milestone_amount_positive"),
        ]

    def __str__(self):
        return self.name

    def received_so_far(self, *, excluding=None) -> Decimal:
        """What has been received on this milestone (one query), leaving out the receipt
        `excluding` (its id: the one being edited). The SQL form is `received_subquery()`."""
        receipts = self.receipts.all()
        if excluding is not None:
            receipts = receipts.exclude(pk=excluding)
        return receipts.aggregate(total=Sum("amount"))["total"] or ZERO


def received_subquery():
    """`PaymentMilestone.received_so_far()` as a correlated subquery over milestones (so that
    it can be summed again); tests/opportunities/test_receivables.py keeps the two in step."""
    total = (
        Receipt.objects.filter(milestone=OuterRef("pk"))
        .order_by()
        .values("milestone")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(
        Subquery(total, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD
    )


class ReceiptQuerySet(OpportunityPartQuerySet):
    opportunity_lookup = "milestone__opportunity"


class Receipt(TimeStampedModel):
    """回款: money received against one milestone. More than is still due is refused."""

    milestone = models.ForeignKey(
        PaymentMilestone,
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("payment milestone"),
    )
    amount = models.DecimalField(_("amount (CNY)"), **MONEY, validators=[MinValueValidator(0.01)])
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    reference = models.CharField(_("bank reference"), max_length=100, blank=True)

    history = HistoricalRecords()
    objects = ReceiptQuerySet.as_manager()

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
        ]

    def __str__(self):
        return f"{self.received_on} {self.amount}"

    def clean(self):
        if self.received_on and self.received_on > timezone.localdate():
            raise ValidationError({"received_on": _("Record money once it has arrived.")})


class Commitment(TimeStampedModel):
    """A promise we made to the customer (管理期望): listed before each payment milestone, since
    a broken promise is the customer's reason not to pay (METHOD.md §8.1)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="commitments",
        verbose_name=_("opportunity"),
    )
    what = models.CharField(_("what we promised"), max_length=300)
    promised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="promised_commitments",
        verbose_name=_("promised by"),
    )
    due_date = models.DateField(_("due"))
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [models.Index(fields=["opportunity", "due_date"], name="commitment_opp_due_idx")]

    def __str__(self):
        return self.what[:60]

    @property
    def fulfilled(self) -> bool:
        return self.fulfilled_on is not None

    def clean(self):
        if self.fulfilled_on and self.fulfilled_on > timezone.localdate():
            raise ValidationError({"fulfilled_on": _("Mark it fulfilled once it is done.")})
