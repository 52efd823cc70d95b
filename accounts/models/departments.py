"""Category 2 organisation: an account's departments and how they relate (METHOD.md §3.4)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models.accounts import Account, AccountPartQuerySet, Function
from crm.models import TimeStampedModel


class Department(TimeStampedModel):
    """部门: a department of the account involved in purchasing (category 2)."""

    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="departments",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(
        _("function"), max_length=12, choices=Function, default=Function.OTHER
    )
    head = models.ForeignKey(
        "Contact",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        verbose_name=_("head"),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("reports to (department)"),
    )

    history = HistoricalRecords()
    objects = AccountPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["account", "name"], name="department_unique_name"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="department_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        if self.head_id and self.head.account_id != self.account_id:
            errors["head"] = _("The head must be a contact of the same account.")
        if self.parent_id:
            if self.parent.account_id != self.account_id:
                errors["parent"] = _("The parent department must belong to the same account.")
            elif self.pk and self._parent_chain_reaches_self():
                errors["parent"] = _("A department cannot report to itself or to one below it.")
        if errors:
            raise ValidationError(errors)

    def _parent_chain_reaches_self(self) -> bool:
        seen, parent = set(), self.parent
        while parent is not None and parent.pk not in seen:
            if parent.pk == self.pk:
                return True
            seen.add(parent.pk)
            parent = parent.parent
        return False


class DepartmentRelation(TimeStampedModel):
    """A constraint between two departments beyond the reporting line (e.g. finance approves
    IT's budget), METHOD.md §3.3 "reporting and constraint relations"."""

    class Kind(models.TextChoices):
        CONSTRAINS = "constrains", _("constrains (制约)")
        ADVISES = "advises", _("advises")
        COOPERATES = "cooperates", _("works closely with")

    source = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="relations_out",
        verbose_name=_("department"),
    )
    target = models.ForeignKey(
        Department,
        on_delete=models.CASCADE,
        related_name="relations_in",
        verbose_name=_("other department"),
    )
    kind = models.CharField(_("relation"), max_length=12, choices=Kind, default=Kind.CONSTRAINS)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("department relation")
        verbose_name_plural = _("department relations")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="department_relation_unique"
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="department_relation_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.source_id} {self.kind} {self.target_id}"

    def clean(self):
        if self.source_id and self.target_id:
            if self.source_id == self.target_id:
                raise ValidationError(
                    {"target": _("A department cannot have a relation with itself.")}
                )
            if self.source.account_id != self.target.account_id:
                raise ValidationError(
                    {"target": _("Both departments must belong to the same account.")}
                )
