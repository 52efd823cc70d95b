"""Move 6 after the sale (METHOD.md §8.2 [I]): the satisfaction check after acceptance, the
referral it can lead to, and the settings of these and of the effort rule (handout 4.2)."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account, Contact
from crm.models import TimeStampedModel
from opportunities.models.needs import MONEY, OpportunityPartQuerySet, same_account_error
from opportunities.rules.effort import Weights

SCORES = [(n, str(n)) for n in range(1, 6)]


class SatisfactionCheck(TimeStampedModel):
    """满意度回访: after acceptance, who answered, a score from 1 to 5 and their remarks."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="satisfaction_checks",
        verbose_name=_("opportunity"),
    )
    # The score outlives the person's record (erased or merged): kept, with nobody named.
    answered_by = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        related_name="satisfaction_checks",
        verbose_name=_("answered by"),
    )
    score = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"),
        choices=SCORES,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    remarks = models.TextField(_("remarks"), blank=True)
    checked_on = models.DateField(_("checked on"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction check")
        verbose_name_plural = _("satisfaction checks")
        indexes = [models.Index(fields=["opportunity", "checked_on"], name="satisfaction_opp_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="satisfaction_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.checked_on} {self.score}/5"

    def clean(self):
        errors = same_account_error(
            getattr(self, "answered_by", None), getattr(self, "opportunity", None), "answered_by"
        )
        if self.checked_on and self.checked_on > timezone.localdate():
            errors["checked_on"] = _("Record the check once the customer has answered.")
        if errors:
            raise ValidationError(errors)


class Referral(TimeStampedModel):
    """转介绍: an account or contact the customer introduced us to, linked back to the deal
    whose satisfied customer made the introduction (the account as a 堡垒, METHOD.md §8.1)."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="referrals",
        verbose_name=_("from opportunity"),
    )
    # A referral is only what it points at: it goes with its account or contact.
    referred_account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="referred_by",
        verbose_name=_("referred account"),
    )
    referred_contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="referred_by",
        verbose_name=_("referred contact"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()
    objects = OpportunityPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.CheckConstraint(
                condition=Q(referred_account__isnull=False) | Q(referred_contact__isnull=False),
                name="referral_names_someone",
            ),
        ]

    def __str__(self):
        return str(self.referred_contact or self.referred_account)

    def clean(self):
        if self.referred_account_id is None and self.referred_contact_id is None:
            raise ValidationError(
                {"referred_account": _("Name the account or the contact we were referred to.")}
            )


class Basis(models.TextChoices):
    SIGNED = "signed", _("signed orders")
    COLLECTED = "collected", _("collected cash")


class AftersaleSetting(models.Model):
    """One row: the numbers of move 6 after the sale (METHOD.md §8.2 [I]) and of the effort
    rule (handout 4.2 [I]), admin-editable."""

    referral_score = models.PositiveSmallIntegerField(
        _("referral prompt from satisfaction"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Once fully collected, a satisfaction at or above this prompts a referral."),
    )
    dso_days = models.PositiveSmallIntegerField(
        _("DSO window (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("DSO = receivable due ÷ amounts that fell due in this many days × the days."),
    )
    colour_basis = models.CharField(
        _("attainment colours on"),
        max_length=10,
        choices=Basis,
        default=Basis.SIGNED,
        help_text=_("Which attainment colours the rep table: signed orders or collected cash."),
    )
    budget_weight = models.PositiveSmallIntegerField(
        _("effort: weight of the budget"), default=60, validators=[MaxValueValidator(100)]
    )
    nearness_weight = models.PositiveSmallIntegerField(
        _("effort: weight of the nearness of the decision"),
        default=40,
        validators=[MaxValueValidator(100)],
    )
    full_budget = models.DecimalField(
        _("effort: budget that scores full marks (CNY)"),
        **MONEY,
        default=Decimal(1_000_000),
        validators=[MinValueValidator(1)],
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("effort: decision counts as near within (days)"),
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )

    class Meta:
        verbose_name = _("after-sale and effort setting")
        verbose_name_plural = _("after-sale and effort settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="aftersale_setting_single_row"),
        ]

    def __str__(self):
        return str(_("after-sale and effort setting"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def clean(self):
        if not (self.budget_weight or 0) + (self.nearness_weight or 0):
            raise ValidationError({"budget_weight": _("At least one weight must be above 0.")})

    @classmethod
    def current(cls) -> "AftersaleSetting":
        """The stored row, or the defaults when none exists yet (one query)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    @property
    def weights(self) -> Weights:
        return Weights(
            self.budget_weight, self.nearness_weight, self.full_budget, self.horizon_days
        )
