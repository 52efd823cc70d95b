"""Move 4 呈现价值 (METHOD.md §6): the customer's evaluation and our value points (FAB)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from crm.models import TimeStampedModel
from opportunities.models.needs import OpportunityPartQuerySet


class EvaluationMethod(models.TextChoices):
    OPEN_TENDER = "open_tender", _("open tender (公开招标)")
    INVITED_TENDER = "invited", _("invited tender (邀请招标)")
    NEGOTIATION = "negotiation", _("competitive negotiation (竞争性谈判)")
    ENQUIRY = "enquiry", _("price comparison (询价比价)")
    SINGLE_SOURCE = "single", _("single source (单一来源)")
    OTHER = "other", _("other")


class Standing(models.TextChoices):
    """Where we stand with the customer; preferred or shortlisted ends move 4 (§6.2)."""

    UNKNOWN = "unknown", _("not yet known")
    EVALUATING = "evaluating", _("under evaluation")
    SHORTLISTED = "shortlisted", _("shortlisted (入围)")
    PREFERRED = "preferred", _("preferred vendor (首选)")
    NOT_SELECTED = "not_selected", _("not selected")


WINNING_STANDINGS = (Standing.SHORTLISTED, Standing.PREFERRED)


class Evaluation(TimeStampedModel):
    """评估比较: the facts of the customer's evaluation (one per opportunity). The evaluators
    are the buying group's stakeholders with the evaluator role."""

    opportunity = models.OneToOneField(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="evaluation",
        verbose_name=_("opportunity"),
    )
    rfp_date = models.DateField(_("RFP / tender issued"), null=True, blank=True)
    bid_deadline = models.DateField(_("bid deadline"), null=True, blank=True)
    method = models.CharField(
        _("evaluation method"), max_length=12, choices=EvaluationMethod, blank=True
    )
    commercial_percent = models.PositiveSmallIntegerField(
        _("commercial share of the score (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
        help_text=_("The technical share is the rest."),
    )
    panel = models.TextField(
        _("panel"),
        blank=True,
        help_text=_("Who scores, how the experts are drawn, the scoring sheet."),
    )
    standing = models.CharField(
        _("our standing"), max_length=12, choices=Standing, default=Standing.UNKNOWN
    )
    standing_evidence = models.CharField(
        _("evidence of our standing"),
        max_length=300,
        blank=True,
        help_text=_("A notice, an invitation to negotiate …"),
    )

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation (评估比较)")
        verbose_name_plural = _("evaluations (评估比较)")
        constraints = [
            models.CheckConstraint(
                condition=Q(commercial_percent__isnull=True) | Q(commercial_percent__lte=100),
                name="evaluation_commercial_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(rfp_date__isnull=True)
                | Q(bid_deadline__isnull=True)
                | Q(bid_deadline__gte=models.F("rfp_date")),
                name="evaluation_deadline_after_rfp",
            ),
        ]

    def __str__(self):
        return f"{self.opportunity_id}: {self.standing}"

    @property
    def technical_percent(self):
        return None if self.commercial_percent is None else 100 - self.commercial_percent

    def clean(self):
        errors = {}
        if self.rfp_date and self.bid_deadline and self.bid_deadline < self.rfp_date:
            errors["bid_deadline"] = _("The bid deadline cannot be before the RFP was issued.")
        if self.standing in WINNING_STANDINGS and not self.standing_evidence.strip():
            errors["standing_evidence"] = _(
                "Say what shows it: a notice, an invitation to negotiate …"
            )
        if errors:
            raise ValidationError(errors)


class ProofType(models.TextChoices):
    NONE = "", _("no proof yet")
    REFERENCE = "reference", _("reference customer")
    TEST = "test", _("test result")
    DEMO = "demo", _("demo")
    SITE_VISIT = "site_visit", _("site visit (参观)")
    CERTIFICATE = "certificate", _("certificate or award")
    OTHER = "other", _("other")


class ValuePoint(TimeStampedModel):
    """FAB: feature → advantage → benefit, with proof, answering purchase criteria (§6.1)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="value_points",
        verbose_name=_("opportunity"),
    )
    feature = models.CharField(_("feature (F)"), max_length=200)
    advantage = models.CharField(_("advantage (A)"), max_length=300, blank=True)
    benefit = models.CharField(
        _("benefit (B)"), max_length=300, blank=True, help_text=_("What the customer gains.")
    )
    proof_type = models.CharField(
        _("proof"), max_length=12, choices=ProofType, blank=True, default=ProofType.NONE
    )
    proof = models.CharField(
        _("proof details"),
        max_length=300,
        blank=True,
        help_text=_("Which reference customer, which test, with what result."),
    )
    criteria = models.ManyToManyField(
        "opportunities.PurchaseCriterion",
        blank=True,
        related_name="value_points",
        verbose_name=_("answers the criteria"),
    )

    # The criteria links are not versioned: m2m history rows would be re-created on restore.
    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("value point (FAB)")
        verbose_name_plural = _("value points (FAB)")
        constraints = [
            models.CheckConstraint(
                condition=~Q(proof_type="") | Q(proof=""), name="value_point_proof_has_type"
            ),
        ]

    def __str__(self):
        return self.feature

    @property
    def has_proof(self) -> bool:
        return bool(self.proof_type)

    def clean(self):
        if self.proof and not self.proof_type:
            raise ValidationError({"proof_type": _("Say what kind of proof this is.")})
