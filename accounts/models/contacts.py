"""Category 2 organisation: contacts (function × level) and the ties between them
(METHOD.md §3.4).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models.accounts import Account, AccountPartQuerySet, Function, Level
from accounts.models.departments import Department
from crm.models import TimeStampedModel
from crm.phones import PhoneField


class ContactQuerySet(AccountPartQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Contact(TimeStampedModel):
    """联系人: a person at the account, placed by function × level (METHOD.md §3.4)."""

    class GuideType(models.TextChoices):
        TECHNICAL = "technical", _("technical guide (技术向导)")
        RELATIONSHIP = "relationship", _("relationship guide (关系向导)")

    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="contacts",
        verbose_name=_("department"),
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("job title"), max_length=100, blank=True)
    mobile = PhoneField(_("mobile"), max_length=50, blank=True)
    phone = PhoneField(_("office phone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    wechat = models.CharField(_("WeChat"), max_length=100, blank=True)
    function = models.CharField(
        _("function"), max_length=12, choices=Function, default=Function.OTHER
    )
    level = models.CharField(_("level"), max_length=12, choices=Level, default=Level.OPERATIONAL)
    reports_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("reports to"),
    )
    has_veto = models.BooleanField(
        _("veto power"),
        default=False,
        help_text=_("Can block the purchase (often true of management, METHOD.md §3.4)."),
    )
    is_active = models.BooleanField(
        _("still at the company"),
        default=True,
        help_text=_("Untick when the person has left; their history stays."),
    )
    is_guide = models.BooleanField(_("guide (向导)"), default=False)
    guide_type = models.CharField(_("guide type"), max_length=12, choices=GuideType, blank=True)
    guide_since = models.DateField(_("guide since"), null=True, blank=True)
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
    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["account", "name"], name="contact_account_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reports_to=models.F("pk")), name="contact_not_own_manager"
            ),
            models.CheckConstraint(
                condition=Q(is_guide=True) | Q(guide_type=""),
                name="contact_guide_type_only_for_guides",
            ),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=~Q(external_id=""),
                name="contact_external_id_unique",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.department_id and self.department.account_id != self.account_id:
            errors["department"] = _("The department must belong to the contact's account.")
        if self.reports_to_id:
            if self.pk and self.reports_to_id == self.pk:
                errors["reports_to"] = _("A contact cannot report to themself.")
            elif self.reports_to.account_id != self.account_id:
                errors["reports_to"] = _(
                    "A contact can only report to someone at the same account."
                )
            elif self.pk and self._reporting_chain_reaches_self():
                errors["reports_to"] = _(
                    "This would make a loop: the chosen person already reports to this contact."
                )
        if self.guide_type and not self.is_guide:
            errors["guide_type"] = _("Only a guide has a guide type: tick “guide” or clear it.")
        if self.guide_since and not self.is_guide:
            errors["guide_since"] = _("Only a guide has a “guide since” date.")
        if errors:
            raise ValidationError(errors)

    def _reporting_chain_reaches_self(self) -> bool:
        seen, boss = set(), self.reports_to
        while boss is not None and boss.pk not in seen:
            if boss.pk == self.pk:
                return True
            seen.add(boss.pk)
            boss = boss.reports_to
        return False


class ContactTie(TimeStampedModel):
    """Friends and rivals inside the organisation (category 3), one direction per row."""

    class Kind(models.TextChoices):
        FRIEND = "friend", _("friend")
        RIVAL = "rival", _("rival")

    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="ties", verbose_name=_("contact")
    )
    other = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="tied_by",
        verbose_name=_("other contact"),
    )
    kind = models.CharField(_("tie"), max_length=10, choices=Kind)
    note = models.CharField(_("note"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("friend or rival")
        verbose_name_plural = _("friends and rivals")
        constraints = [
            models.UniqueConstraint(fields=["contact", "other"], name="contact_tie_unique"),
            models.CheckConstraint(
                condition=~Q(contact=models.F("other")), name="contact_tie_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.contact_id} {self.kind} {self.other_id}"

    def clean(self):
        if self.contact_id and self.other_id:
            if self.contact_id == self.other_id:
                raise ValidationError(
                    {"other": _("A contact cannot be their own friend or rival.")}
                )
            if self.contact.account_id != self.other.account_id:
                raise ValidationError(
                    {"other": _("Friends and rivals must work at the same account.")}
                )
