"""Customer accounts (客户): the choices every dossier category shares, and the account itself
(category 1 background: METHOD.md §3.3, §3.4).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.identity import UsccField
from crm import policy
from crm.models import TimeStampedModel
from crm.phones import PhoneField


class Function(models.TextChoices):
    """职能: the three functions of METHOD.md §3.4, plus other."""

    USER = "user", _("user department (使用部门)")
    TECHNICAL = "technical", _("technical department (技术部门)")
    PROCUREMENT = "procurement", _("procurement & finance (采购·财务部门)")
    OTHER = "other", _("other")


class Level(models.TextChoices):
    """级别 (METHOD.md §3.4); ordered from the bottom up."""

    OPERATIONAL = "operational", _("operational (操作层)")
    MANAGEMENT = "management", _("management (管理层)")
    DECISION = "decision", _("decision (决策层)")


class Satisfaction(models.IntegerChoices):
    VERY_LOW = 1, _("1 — very dissatisfied")
    LOW = 2, _("2 — dissatisfied")
    NEUTRAL = 3, _("3 — neutral")
    HIGH = 4, _("4 — satisfied")
    VERY_HIGH = 5, _("5 — very satisfied")


class AccountQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Accounts the user owns, manages through a team, or that are shared with them."""
        return policy.visible(self, user, owner="owner", shared="collaborators")


class Account(TimeStampedModel):
    class Status(models.TextChoices):
        TARGET = "target", _("target (目标客户)")
        PROSPECT = "prospect", _("prospect")
        CUSTOMER = "customer", _("customer")
        DORMANT = "dormant", _("dormant")

    class Type(models.TextChoices):
        """客户类型: the kind of owner, which sets how strict the gift caps are (METHOD.md §10
        "within the law"; relationships.models.GiftCapSetting)."""

        STATE_OWNED = "state_owned", _("state-owned (国企)")
        GOVERNMENT = "government", _("government (政府机关)")
        PRIVATE = "private", _("private (民营)")
        FOREIGN = "foreign", _("foreign (外资)")

    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.TARGET, db_index=True
    )
    account_type = models.CharField(_("customer type"), max_length=12, choices=Type, blank=True)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    uscc = UsccField(
        _("unified social credit code"),
        blank=True,
        help_text=_("统一社会信用代码: 18 characters, on the business licence."),
    )
    phone = PhoneField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    business_scope = models.TextField(_("business scope"), blank=True)
    revenue = models.DecimalField(
        _("annual revenue (CNY)"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    year_established = models.PositiveSmallIntegerField(
        _("year established"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2100)],
    )
    finance_notes = models.TextField(_("finances"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="subsidiaries",
        verbose_name=_("parent company"),
    )
    # Empty only while the account lies in a team's shared pool (公海, the pool app): nobody
    # owns it then, and the pool's own records say whose it was and since when.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="owned_accounts",
        verbose_name=_("owner"),
    )
    collaborators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="shared_accounts",
        verbose_name=_("shared with"),
        help_text=_("Colleagues who may see and work on this account besides its owner."),
    )
    notes = models.TextField(_("notes"), blank=True)
    external_id = models.CharField(
        _("external id"),
        max_length=100,
        blank=True,
        help_text=_(
            "The record's id in the system it was imported from: importing the same file "
            "again updates the record instead of adding a copy."
        ),
    )

    history = HistoricalRecords()
    objects = AccountQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("customer", "account")
        verbose_name_plural = pgettext_lazy("customer", "accounts")
        indexes = [
            # Account list: a rep's accounts by name.
            models.Index(fields=["owner", "name"], name="account_owner_name_idx"),
            models.Index(fields=["name"], name="account_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(revenue__isnull=True) | Q(revenue__gte=0),
                name="account_revenue_not_negative",
            ),
            # Imports match on it (imports/services.py); records typed in have none.
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="account_external_id_unique",
            ),
            models.UniqueConstraint(
                fields=["uscc"],
                condition=~Q(uscc=""),
                name="account_uscc_unique",
                violation_error_message=_(
                    "Another account already has this unified social credit code."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def owner_shown(self) -> str:
        """The owner's name, or where an account without one lies."""
        return str(self.owner) if self.owner_id else str(_("in the shared pool (公海)"))

    def clean(self):
        errors = {}
        if self.year_established and self.year_established > datetime.date.today().year:
            errors["year_established"] = _("The year established cannot be in the future.")
        if self.parent_id and self.pk:
            # Walk up the parent chain: a company cannot be its own (grand)parent.
            seen, parent = {self.pk}, self.parent
            while parent is not None:
                if parent.pk in seen:
                    errors["parent"] = _("A company cannot be its own parent company.")
                    break
                seen.add(parent.pk)
                parent = parent.parent
        if errors:
            raise ValidationError(errors)


class AccountPartQuerySet(models.QuerySet):
    """Rows that belong to an account are visible with their account."""

    def visible_to(self, user):
        return policy.within(self, user, parent="account", parents=Account.objects.visible_to(user))
