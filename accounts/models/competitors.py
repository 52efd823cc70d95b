"""Category 1 usage and category 4 competition: the installed base, purchase plans, the
competitor catalogue and who is present where (METHOD.md §3.4).
"""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models.accounts import Account, AccountPartQuerySet, Satisfaction
from crm.models import TimeStampedModel


class Competitor(TimeStampedModel):
    """The competitor catalogue (竞争对手), shared by every account."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    website = models.URLField(_("website"), blank=True)
    strengths = models.TextField(_("strengths"), blank=True)
    weaknesses = models.TextField(_("weaknesses"), blank=True)

    class Meta:
        verbose_name = _("competitor")
        verbose_name_plural = _("competitors")
        ordering = ["name"]

    def __str__(self):
        return self.name


class InstalledProduct(TimeStampedModel):
    """现有产品 / 使用现状: what the customer runs today (category 1)."""

    class Vendor(models.TextChoices):
        OURS = "ours", _("ours")
        COMPETITOR = "competitor", _("a competitor's")
        OTHER = "other", _("other vendor")

    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="installed_products",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    brand = models.CharField(_("brand or vendor"), max_length=200)
    product = models.CharField(_("product"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), null=True, blank=True)
    years_in_use = models.PositiveSmallIntegerField(
        _("years in use"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    vendor = models.CharField(_("whose"), max_length=12, choices=Vendor, default=Vendor.OTHER)
    competitor = models.ForeignKey(
        Competitor,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="installations",
        verbose_name=_("competitor"),
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("customer satisfaction"), choices=Satisfaction, null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = AccountPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("installed product")
        verbose_name_plural = _("installed base")

    def __str__(self):
        return f"{self.brand} {self.product}".strip()

    def clean(self):
        if self.competitor_id and self.vendor != self.Vendor.COMPETITOR:
            raise ValidationError(
                {"vendor": _("A product from a competitor must be marked as a competitor's.")}
            )


class PurchasePlan(TimeStampedModel):
    """A recent purchase plan and the problem it should solve (category 1)."""

    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="purchase_plans",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    title = models.CharField(_("plan"), max_length=200)
    problem = models.TextField(_("problem it should solve"), blank=True)
    expected_date = models.DateField(_("expected purchase date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    history = HistoricalRecords()
    objects = AccountPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("purchase plan")
        verbose_name_plural = _("purchase plans")

    def __str__(self):
        return self.title


class CompetitorPresence(TimeStampedModel):
    """A competitor at one account: products in use, satisfaction, their rep (category 4)."""

    class Relationship(models.TextChoices):
        UNKNOWN = "unknown", _("unknown")
        WEAK = "weak", _("weak")
        MODERATE = "moderate", _("moderate")
        STRONG = "strong", _("strong")

    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="competitor_presences",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    competitor = models.ForeignKey(
        Competitor,
        on_delete=models.PROTECT,
        related_name="presences",
        verbose_name=_("competitor"),
    )
    products_in_use = models.TextField(_("products in use"), blank=True)
    satisfaction = models.PositiveSmallIntegerField(
        _("customer satisfaction"), choices=Satisfaction, null=True, blank=True
    )
    rep_name = models.CharField(_("their rep"), max_length=100, blank=True)
    rep_style = models.CharField(_("their rep's selling style"), max_length=200, blank=True)
    rep_relationship = models.CharField(
        _("their rep's relationship with the customer"),
        max_length=10,
        choices=Relationship,
        default=Relationship.UNKNOWN,
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = AccountPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("competitor presence")
        verbose_name_plural = _("competitor presences")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "competitor"], name="competitor_presence_unique"
            ),
        ]

    def __str__(self):
        return str(self.competitor_id)
