"""Move 5 赢取承诺 (METHOD.md §7): concerns (顾虑) with prevention and remedy plans, the
negotiation, and the signed contract that makes the deal won."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Contact
from crm.models import TimeStampedModel
from opportunities.models.needs import MONEY, OpportunityPartQuerySet, same_account_error
from opportunities.moves.concerns import PLAN_BLANKS, is_blank_plan, is_unplanned


class RiskType(models.TextChoices):
    PRICE = "price", _("price")
    QUALITY = "quality", _("quality")
    DELIVERY = "delivery", _("delivery")
    SERVICE = "service", _("service")
    VENDOR = "vendor", _("vendor viability")
    CAREER = "career", _("personal career risk")
    OTHER = "other", _("other")


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("open")
    PLANNED = "planned", _("planned")
    RESOLVED = "resolved", _("resolved")


def _plan_text(field: str):
    """`field` without the characters of PLAN_BLANKS: empty exactly when is_blank_plan()."""
    expression = F(field)
    for character in PLAN_BLANKS:
        if character != " ":
            expression = Replace(
                expression, Value(character), Value(""), output_field=models.TextField()
            )
    return Trim(expression, output_field=models.TextField())


class ConcernQuerySet(OpportunityPartQuerySet):
    def blocking(self):
        """The SQL form of `Concern.blocks` (moves.concerns.is_unplanned): not resolved, and
        a plan blank; tests/opportunities/test_concerns.py keeps the two in step."""
        return (
            self.exclude(status=ConcernStatus.RESOLVED)
            .alias(
                prevention_text=_plan_text("prevention_plan"), remedy_text=_plan_text("remedy_plan")
            )
            .filter(Q(prevention_text="") | Q(remedy_text=""))
        )


class Concern(TimeStampedModel):
    """顾虑: a risk the customer perceives before committing; whoever removes it can take the
    deal (§7.1). "Without a plan" = not resolved and missing its prevention or remedy plan."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="concerns",
        verbose_name=_("opportunity"),
    )
    raised_by = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("raised by"),
    )
    risk_type = models.CharField(
        _("risk type"), max_length=12, choices=RiskType, default=RiskType.OTHER
    )
    signal = models.CharField(
        _("signal seen"),
        max_length=300,
        help_text=_("What was said or done: “let's wait a little”…"),
    )
    prevention_plan = models.TextField(_("prevention plan (预防方案)"), blank=True)
    remedy_plan = models.TextField(_("remedy plan (补救方案)"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_concerns",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ConcernStatus, default=ConcernStatus.OPEN
    )
    activity = models.ForeignKey(
        "relationships.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="concerns",
        verbose_name=_("seen in activity"),
    )

    history = HistoricalRecords()
    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern (顾虑)")
        verbose_name_plural = _("concerns (顾虑)")
        indexes = [models.Index(fields=["opportunity", "status"], name="concern_opp_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="planned") | (~Q(prevention_plan="") & ~Q(remedy_plan="")),
                name="concern_planned_has_plans",
            ),
        ]

    def __str__(self):
        return self.signal[:60]

    @property
    def has_plan(self) -> bool:
        return not (is_blank_plan(self.prevention_plan) or is_blank_plan(self.remedy_plan))

    @property
    def blocks(self) -> bool:
        return is_unplanned(self.status, self.prevention_plan, self.remedy_plan)

    def clean(self):
        errors = same_account_error(self.raised_by, getattr(self, "opportunity", None), "raised_by")
        if self.status == ConcernStatus.PLANNED and not self.has_plan:
            errors["status"] = _("“Planned” needs both a prevention plan and a remedy plan.")
        if errors:
            raise ValidationError(errors)


class Topic(models.TextChoices):
    PRICE = "price", _("price / discount")
    DELIVERY = "delivery", _("delivery")
    SERVICE = "service", _("service level")
    PAYMENT = "payment", _("payment terms")
    PENALTIES = "penalties", _("penalties / default clauses")
    OTHER = "other", _("other")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("under negotiation")
    AGREED = "agreed", _("agreed")


class Approval(models.TextChoices):
    NOT_NEEDED = "not_needed", _("no approval needed")
    PENDING = "pending", _("pending approval")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class NegotiationItem(TimeStampedModel):
    """One term under negotiation: our position, theirs, what we conceded. A discount above
    the admin-set limit (MoveThresholdSetting) needs a manager's approval (§7.2 concession
    tracking)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="negotiation_items",
        verbose_name=_("opportunity"),
    )
    topic = models.CharField(_("topic"), max_length=12, choices=Topic)
    our_position = models.CharField(_("our position"), max_length=300, blank=True)
    their_position = models.CharField(_("their position"), max_length=300, blank=True)
    concession = models.CharField(_("concession given"), max_length=300, blank=True)
    discount_percent = models.DecimalField(
        _("discount off list (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ItemStatus, default=ItemStatus.OPEN
    )
    approval = models.CharField(
        _("approval"), max_length=12, choices=Approval, default=Approval.NOT_NEEDED, editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_negotiation_items",
        verbose_name=_("decided by"),
        editable=False,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    self_approved = models.BooleanField(
        _("self-approved"),
        default=False,
        editable=False,
        help_text=_("Decided by the deal's owner themself (allowed by ALLOW_SELF_APPROVAL)."),
    )

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("negotiation item")
        verbose_name_plural = _("negotiation items")
        constraints = [
            models.CheckConstraint(
                condition=Q(discount_percent__isnull=True)
                | Q(discount_percent__gte=0, discount_percent__lte=100),
                name="negotiation_discount_range",
            ),
            # An agreed discount above the limit was approved first (the service enforces it).
            models.CheckConstraint(
                condition=~Q(status="agreed") | ~Q(approval__in=["pending", "rejected"]),
                name="negotiation_agreed_not_unapproved",
            ),
        ]

    def __str__(self):
        return self.topic

    def clean(self):
        if self.status == ItemStatus.AGREED and self.approval in (
            Approval.PENDING,
            Approval.REJECTED,
        ):
            raise ValidationError(
                {"status": _("This discount needs a manager's approval before it can be agreed.")}
            )


class Contract(TimeStampedModel):
    """The written contract (签约). Recording it makes the deal won (move 6); the sale is
    complete only when `collected_at` is set, at 100% collected (回款完成, METHOD.md §8)."""

    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        on_delete=models.PROTECT,
        related_name="contract",
        verbose_name=_("opportunity"),
    )
    number = models.CharField(_("contract number"), max_length=60, blank=True)
    signed_on = models.DateField(_("signed on"))
    amount = models.DecimalField(
        _("contract amount (CNY)"), **MONEY, validators=[MinValueValidator(0.01)]
    )
    signed_by = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signed_contracts",
        verbose_name=_("signed by (customer)"),
    )
    payment_terms = models.TextField(_("payment terms"), blank=True)
    collected_at = models.DateTimeField(
        _("fully collected (回款完成)"), null=True, blank=True, editable=False
    )

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [
            # Cash forecast and receivables: contracts not yet fully collected.
            models.Index(fields=["collected_at"], name="contract_collected_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="contract_amount_positive"),
        ]

    def __str__(self):
        return self.number or str(self.signed_on)

    @property
    def is_complete(self) -> bool:
        return self.collected_at is not None

    def clean(self):
        errors = same_account_error(self.signed_by, getattr(self, "opportunity", None), "signed_by")
        opportunity = getattr(self, "opportunity", None)
        if self.signed_on and opportunity is not None and opportunity.created_at:
            created = timezone.localdate(opportunity.created_at)
            if self.signed_on < created:
                errors["signed_on"] = _(
                    "The contract cannot be signed before the opportunity was created (%(date)s)."
                ) % {"date": created.isoformat()}
        if self.signed_on and self.signed_on > timezone.localdate():
            errors["signed_on"] = _("Record the contract once it is signed, not before.")
        if errors:
            raise ValidationError(errors)
