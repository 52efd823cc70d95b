from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Account, Competitor
from crm import policy
from crm.models import TimeStampedModel
from opportunities.rules.qualification import BudgetStatus, Risk, Verdict
from opportunities.rules.stages import Move

MONEY = {"max_digits": 16, "decimal_places": 2}
# The first amount the money columns cannot hold: a deal's total must stay below it.
AMOUNT_LIMIT = Decimal(10) ** (MONEY["max_digits"] - MONEY["decimal_places"])


class Status(models.TextChoices):
    OPEN = "open", _("open (进行中)")
    WON = "won", _("won (签约)")
    LOST = "lost", _("lost (丢单)")
    ABANDONED = "abandoned", _("abandoned (放弃)")


CLOSED_STATUSES = (Status.LOST, Status.ABANDONED)


class BuyerStage(models.TextChoices):
    """The customer's six-step purchase process (METHOD.md §2.2), for lost-reason analysis."""

    DISCOVER = "discover", _("1 discover need (发现需求)")
    APPROVE = "approve", _("2 internal approval, set budget (内部酝酿/立项)")
    DESIGN = "design", _("3 design purchase criteria (设计采购指标)")
    EVALUATE = "evaluate", _("4 evaluate and compare (评估比较)")
    COMMIT = "commit", _("5 purchase commitment (购买承诺)")
    IMPLEMENT = "implement", _("6 implementation and use (实施和使用)")


class Source(models.TextChoices):
    EXISTING = "existing", _("existing customer")
    REFERRAL = "referral", _("referral")
    GUIDE = "guide", _("tip from a guide (向导)")
    TENDER = "tender", _("public tender / RFP")
    MARKETING = "marketing", _("marketing event")
    PARTNER = "partner", _("partner or system integrator")
    OUTREACH = "outreach", _("our own outreach")
    OTHER = "other", _("other")


class OpportunityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Deals the user may see: those whose owner they can reach (crm.policy), and every
        deal on an account they can see — people who work an account work its deals."""
        return policy.visible_or_within(
            self, user, owner="owner", parent="account", parents=Account.objects.visible_to(user)
        )

    def open(self):
        return self.filter(status=Status.OPEN)

    def with_weighted_amount(self, probabilities: dict[int, int]):
        """Annotate `probability` and `weighted_amount` in SQL: open deals at their move's
        probability, won deals at 100%, lost and abandoned at 0 (METHOD.md §9.2)."""
        probability = Case(
            When(status=Status.WON, then=Value(100)),
            *(
                When(status=Status.OPEN, move=move, then=Value(p))
                for move, p in sorted(probabilities.items())
            ),
            default=Value(0),
            output_field=models.IntegerField(),
        )
        return self.annotate(probability=probability).annotate(
            weighted_amount=ExpressionWrapper(
                F("amount") * F("probability") / Value(100),
                output_field=DecimalField(**MONEY),
            )
        )


class Opportunity(TimeStampedModel):
    """销售机会: one deal with one account, worked through the six moves."""

    # Null only for deals imported without an account (e.g. the Maven data set's open deals):
    # kept, shown as "account unknown — assign one", and visible through their owner only.
    # Forms still require an account (blank=False). See docs/import.md.
    account = models.ForeignKey(
        Account,
        on_delete=models.PROTECT,
        null=True,
        related_name="opportunities",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_opportunities",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=200)
    source = models.CharField(_("source"), max_length=12, choices=Source, blank=True)
    amount = models.DecimalField(
        _("amount (CNY)"),
        **MONEY,
        default=Decimal(0),
        editable=False,
        help_text=_("The total of the line items."),
    )
    # Null only for imported open deals the source gave no date; forms require one.
    expected_close_date = models.DateField(_("expected close date"), null=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_date = models.DateField(_("next step date"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.OPEN, editable=False
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    lost_to = models.ForeignKey(
        Competitor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="won_from_us",
        verbose_name=_("lost to"),
    )
    lost_at_buyer_stage = models.CharField(
        _("lost at the buyer's stage"), max_length=10, choices=BuyerStage, blank=True
    )
    lost_reason = models.TextField(_("why lost or abandoned"), blank=True)

    move = models.PositiveSmallIntegerField(
        _("move"), choices=Move, default=Move.ANALYSIS, editable=False
    )
    entered_move_at = models.DateTimeField(
        _("in this move since"), default=timezone.now, editable=False
    )

    # The five criteria of METHOD.md §3.5 (scored by opportunities/rules/qualification.py).
    budget_amount = models.DecimalField(
        _("budget (CNY)"), **MONEY, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    budget_status = models.CharField(
        _("budget status"), max_length=10, choices=BudgetStatus, default=BudgetStatus.UNKNOWN
    )
    decision_date = models.DateField(_("expected decision date"), null=True, blank=True)
    fit = models.PositiveSmallIntegerField(
        _("fit with our strengths (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    margin_percent = models.DecimalField(
        _("expected gross margin (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    cost_of_sale = models.DecimalField(
        _("expected cost of sale (CNY)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    implementation_risk = models.CharField(
        _("implementation risk"), max_length=10, choices=Risk, blank=True
    )
    win_estimate = models.PositiveSmallIntegerField(
        _("rep's win estimate (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    # Snapshot of the qualification, refreshed by services.refresh_qualification() whenever
    # its inputs change and when the deal is viewed, so that the list can filter on it in SQL.
    qualification_score = models.PositiveSmallIntegerField(
        _("qualification score"), null=True, blank=True, editable=False
    )
    qualification_verdict = models.CharField(
        _("qualification"), max_length=12, choices=Verdict, blank=True, editable=False
    )
    qualified_on = models.DateField(_("qualification as of"), null=True, editable=False)

    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_(
            "The deal's id in the system it was imported from: importing the same file "
            "again updates the deal instead of adding a copy."
        ),
    )

    history = HistoricalRecords(excluded_fields=["qualified_on"])
    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        indexes = [
            # Opportunity list and board: a rep's deals by status and move.
            models.Index(fields=["owner", "status", "move"], name="opp_owner_status_move_idx"),
            # Board and list across a manager's team: by status and move.
            models.Index(fields=["status", "move"], name="opp_status_move_idx"),
            # List filtered by close month.
            models.Index(fields=["expected_close_date"], name="opp_close_date_idx"),
            # Account page: the account's deals.
            models.Index(fields=["account", "status"], name="opp_account_status_idx"),
            # Pipeline and manager home: the biggest stage-inflated deals (top ten by amount).
            models.Index(fields=["status", "-amount", "id"], name="opp_status_amount_idx"),
            # Pipeline and manager home: the stalled deals, longest in their move first.
            models.Index(fields=["status", "entered_move_at", "id"], name="opp_status_entered_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="opp_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(budget_amount__isnull=True) | Q(budget_amount__gte=0),
                name="opp_budget_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(cost_of_sale__isnull=True) | Q(cost_of_sale__gte=0),
                name="opp_cost_of_sale_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(fit__isnull=True) | Q(fit__gte=1, fit__lte=5), name="opp_fit_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(margin_percent__isnull=True)
                | Q(margin_percent__gte=0, margin_percent__lte=100),
                name="opp_margin_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(win_estimate__isnull=True) | Q(win_estimate__lte=100),
                name="opp_win_estimate_range",
            ),
            models.CheckConstraint(condition=Q(move__gte=1, move__lte=6), name="opp_move_valid"),
            # An open deal always has a next step (and its date).
            models.CheckConstraint(
                condition=~Q(status=Status.OPEN)
                | (~Q(next_step="") & Q(next_step_date__isnull=False)),
                name="opp_open_has_next_step",
            ),
            # Move 6 starts with the signed contract: won ⇔ move 6 for live deals.
            models.CheckConstraint(
                condition=~Q(status=Status.WON) | Q(move=Move.COLLECTION),
                name="opp_won_in_move_6",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.OPEN) | Q(move__lt=Move.COLLECTION),
                name="opp_open_before_move_6",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=CLOSED_STATUSES) | ~Q(lost_reason=""),
                name="opp_lost_has_reason",
            ),
            # An imported lost deal may not know the buyer's stage (the source never said).
            models.CheckConstraint(
                condition=~Q(status=Status.LOST) | ~Q(lost_at_buyer_stage="") | ~Q(external_id=""),
                name="opp_lost_has_buyer_stage",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="opp_external_id_unique",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN

    def clean(self):
        errors = {}
        created = timezone.localdate(self.created_at) if self.created_at else timezone.localdate()
        if self.expected_close_date and self.expected_close_date < created:
            errors["expected_close_date"] = _(
                "The close date cannot be before the opportunity was created (%(date)s)."
            ) % {"date": created.isoformat()}
        if self.status == Status.OPEN:
            if not self.next_step:
                errors["next_step"] = _("An open opportunity needs a next step.")
            if not self.next_step_date:
                errors["next_step_date"] = _("Give the date of the next step.")
        if self.status in CLOSED_STATUSES and not self.lost_reason:
            errors["lost_reason"] = _("Say why the opportunity was lost or abandoned.")
        if self.status == Status.LOST and not self.lost_at_buyer_stage:
            errors["lost_at_buyer_stage"] = _("Say at which step of the purchase it was lost.")
        if errors:
            raise ValidationError(errors)


class LineItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return policy.within(
            self, user, parent="opportunity", parents=Opportunity.objects.visible_to(user)
        )


class LineItem(TimeStampedModel):
    opportunity = models.ForeignKey(
        Opportunity,
        on_delete=models.CASCADE,
        related_name="line_items",
        verbose_name=_("opportunity"),
    )
    product = models.ForeignKey(
        "opportunities.Product",
        on_delete=models.PROTECT,
        related_name="line_items",
        verbose_name=_("product"),
    )
    quantity = models.PositiveIntegerField(
        _("quantity"), default=1, validators=[MinValueValidator(1)]
    )
    unit_price = models.DecimalField(
        _("unit price (CNY)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    discount_percent = models.DecimalField(
        _("discount (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )

    history = HistoricalRecords()
    objects = LineItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("line item")
        verbose_name_plural = _("line items")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="line_item_quantity_positive"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="line_item_price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="line_item_discount_range",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.unit_price}"

    @property
    def total(self) -> Decimal:
        if self.unit_price is None or self.quantity is None:
            return Decimal(0)
        discount = self.discount_percent or Decimal(0)
        value = Decimal(self.quantity) * self.unit_price * (100 - discount) / 100
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
