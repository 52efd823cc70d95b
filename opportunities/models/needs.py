"""Move 3 挖掘需求 (METHOD.md §5): needs as problem → motive → purchase criterion, project
approval (立项), and the purchase criteria (采购指标) with their origin and fit."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Competitor, Contact
from crm import policy
from crm.models import TimeStampedModel

MONEY = {"max_digits": 16, "decimal_places": 2}
FIT_VALIDATORS = [MinValueValidator(1), MaxValueValidator(5)]


class OpportunityPartQuerySet(models.QuerySet):
    """Rows that belong to an opportunity are visible with their opportunity."""

    opportunity_lookup = "opportunity"

    def visible_to(self, user):
        from opportunities.models.opportunity import Opportunity

        visible = Opportunity.objects.visible_to(user)
        return policy.within(self, user, parent=self.opportunity_lookup, parents=visible)


def same_account_error(contact, opportunity, field: str) -> dict:
    """A contact picked on a deal must work at the deal's account (the database cannot
    compare two tables in a constraint; forms call this through `clean()`)."""
    if (
        contact is not None
        and opportunity is not None
        and contact.account_id != opportunity.account_id
    ):
        return {field: _("This contact belongs to another account than the opportunity.")}
    return {}


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")
    CRITICAL = "critical", _("critical (燃眉之急)")


class Need(TimeStampedModel):
    """需求: one problem (问题/痛点) of one person, with its motive and quantified target."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="needs",
        verbose_name=_("opportunity"),
    )
    category = models.ForeignKey(
        "opportunities.NeedCategory",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("category"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("held by"),
        help_text=_("The person who has this problem."),
    )
    problem = models.CharField(
        _("problem / pain (问题/痛点)"),
        max_length=300,
        help_text=_("What is wrong or missing, for whom, how bad?"),
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity, default=Severity.MEDIUM
    )
    target = models.CharField(
        _("quantified target"),
        max_length=200,
        blank=True,
        help_text=_("How much, how fast, by when: e.g. “month-end close in ≤ 2 days”."),
    )
    motive_organisation = models.TextField(
        _("organisational motive (动机)"),
        blank=True,
        help_text=_("Why solving it matters to the organisation."),
    )
    motive_personal = models.TextField(
        _("personal motive"), blank=True, help_text=_("Why it matters to this person.")
    )
    source = models.CharField(
        _("learned from"),
        max_length=200,
        blank=True,
        help_text=_("Which meeting or question brought it up."),
    )

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["opportunity", "category"], name="need_opp_category_idx")]

    def __str__(self):
        return self.problem[:60]

    def clean(self):
        errors = same_account_error(self.contact, getattr(self, "opportunity", None), "contact")
        if errors:
            raise ValidationError(errors)


class BuyDecision(models.TextChoices):
    PENDING = "pending", _("pending")
    YES = "yes", _("yes, buy")
    NO = "no", _("no, not buying")


class ProjectApproval(TimeStampedModel):
    """立项 (METHOD.md §5.3): the decision maker's first three decisions — whether to buy, when,
    and the budget. One per opportunity; its approved budget is what the move-3 gate checks
    (the qualification card's budget fields stay the rep's early estimate of move 1)."""

    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="project_approval",
        verbose_name=_("opportunity"),
    )
    decision = models.CharField(
        _("buy decision"), max_length=10, choices=BuyDecision, default=BuyDecision.PENDING
    )
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    # 何时购买, the second of the decision level's five decisions (METHOD.md §3.4, §5.3).
    purchase_by = models.DateField(
        _("when to buy (何时购买)"),
        null=True,
        blank=True,
        help_text=_("When the customer means to buy: the date of the purchase decision."),
    )
    approved_budget = models.DecimalField(
        _("approved budget (CNY)"),
        **MONEY,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    approver = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="approvals",
        verbose_name=_("approved by"),
    )
    roi_note = models.TextField(
        _("ROI / value proposal (价值建议书)"),
        blank=True,
        help_text=_("The ROI or pros-and-cons case the decision maker saw."),
    )
    value_proposal_url = models.URLField(_("value proposal document"), blank=True)

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("project approval (立项)")
        verbose_name_plural = _("project approvals (立项)")
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_budget__isnull=True) | Q(approved_budget__gte=0),
                name="approval_budget_not_negative",
            ),
            # An approved project has its budget: "budget approved" is one fact, not two.
            models.CheckConstraint(
                condition=~Q(decision="yes") | Q(approved_budget__isnull=False),
                name="approval_yes_has_budget",
            ),
        ]

    def __str__(self):
        return f"{self.opportunity_id}: {self.decision}"

    @property
    def budget_approved(self) -> bool:
        return self.decision == BuyDecision.YES and self.approved_budget is not None

    def clean(self):
        errors = same_account_error(self.approver, getattr(self, "opportunity", None), "approver")
        if self.decision == BuyDecision.YES and self.approved_budget is None:
            errors["approved_budget"] = _("An approved project needs its approved budget.")
        if errors:
            raise ValidationError(errors)


class Origin(models.TextChoices):
    US = "us", _("proposed by us")
    CUSTOMER = "customer", _("the customer's own")
    COMPETITOR = "competitor", _("proposed by a competitor")


class CriterionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    FINAL = "final", _("final")
    RFP = "rfp", _("in the RFP / tender")


class PurchaseCriterion(TimeStampedModel):
    """采购指标: a measurable requirement vendors will be scored on (METHOD.md §5.4)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("opportunity"),
    )
    need = models.ForeignKey(
        Need,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="criteria",
        verbose_name=_("answers the need"),
    )
    text = models.CharField(_("criterion"), max_length=200)
    threshold = models.CharField(
        _("quantified threshold"), max_length=200, blank=True, help_text=_("e.g. “≤ 2 days”.")
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_(
            "Relative weight in the scoring, 0 = not known yet. Weights that do not add up to "
            "100 are normalised for the scores."
        ),
    )
    origin = models.CharField(_("origin"), max_length=12, choices=Origin, default=Origin.CUSTOMER)
    origin_competitor = models.ForeignKey(
        Competitor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proposed_criteria",
        verbose_name=_("proposed by competitor"),
    )
    our_fit = models.PositiveSmallIntegerField(
        _("our fit (1–5)"), null=True, blank=True, validators=FIT_VALIDATORS
    )
    status = models.CharField(
        _("status"), max_length=10, choices=CriterionStatus, default=CriterionStatus.DRAFT
    )

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase criterion (采购指标)")
        verbose_name_plural = _("purchase criteria (采购指标)")
        indexes = [models.Index(fields=["opportunity", "weight"], name="criterion_opp_weight_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(weight__lte=100), name="criterion_weight_max_100"),
            models.CheckConstraint(
                condition=Q(our_fit__isnull=True) | Q(our_fit__gte=1, our_fit__lte=5),
                name="criterion_our_fit_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(origin="competitor") | Q(origin_competitor__isnull=True),
                name="criterion_competitor_only_for_competitor_origin",
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        errors = {}
        if self.origin != Origin.COMPETITOR and self.origin_competitor_id:
            errors["origin_competitor"] = _(
                "Only a criterion proposed by a competitor names the competitor."
            )
        if self.need_id and self.opportunity_id and self.need.opportunity_id != self.opportunity_id:
            errors["need"] = _("This need belongs to another opportunity.")
        if errors:
            raise ValidationError(errors)


class CriterionCompetitorFit(TimeStampedModel):
    """How well one competitor meets one criterion (1–5), and their weakness there (the
    customer's harm from it: "first cut the competitor three times", METHOD.md §6.1)."""

    criterion = models.ForeignKey(
        PurchaseCriterion,
        on_delete=models.CASCADE,
        related_name="competitor_fits",
        verbose_name=_("criterion"),
    )
    competitor = models.ForeignKey(
        Competitor,
        on_delete=models.PROTECT,
        related_name="criterion_fits",
        verbose_name=_("competitor"),
    )
    fit = models.PositiveSmallIntegerField(_("their fit (1–5)"), validators=FIT_VALIDATORS)
    weakness = models.CharField(
        _("their weakness and its harm to the customer"), max_length=300, blank=True
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("competitor fit")
        verbose_name_plural = _("competitor fits")
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "competitor"], name="criterion_fit_unique_competitor"
            ),
            models.CheckConstraint(
                condition=Q(fit__gte=1, fit__lte=5), name="criterion_fit_1_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}:{self.competitor_id}={self.fit}"
