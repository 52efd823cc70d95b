from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Contact
from crm import policy
from crm.models import TimeStampedModel


class PurchaseRole(models.TextChoices):
    """采购角色 (METHOD.md §3.4); one person can hold several in one deal (§10)."""

    INITIATOR = "initiator", _("initiator (发起者)")
    DECISION_MAKER = "decision_maker", _("decision maker (决策者)")
    DESIGNER = "designer", _("designer (设计者)")
    EVALUATOR = "evaluator", _("evaluator (评估者)")
    USER = "user", _("user (使用者)")


class Attitude(models.TextChoices):
    SUPPORTER = "supporter", _("supporter")
    NEUTRAL = "neutral", _("neutral")
    OPPONENT = "opponent", _("opponent")


class Influence(models.TextChoices):
    HIGH = "high", _("high")
    MEDIUM = "medium", _("medium")
    LOW = "low", _("low")


class StakeholderQuerySet(models.QuerySet):
    def visible_to(self, user):
        from opportunities.models.opportunity import Opportunity

        return policy.within(
            self, user, parent="opportunity", parents=Opportunity.objects.visible_to(user)
        )


class Stakeholder(TimeStampedModel):
    """A member of the buying group (采购小组): a contact of the account, in this deal."""

    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.CASCADE,
        related_name="stakeholders",
        verbose_name=_("opportunity"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.CASCADE,
        related_name="stakeholdings",
        verbose_name=_("contact"),
    )
    attitude = models.CharField(
        _("attitude toward us"), max_length=10, choices=Attitude, default=Attitude.NEUTRAL
    )
    influence = models.CharField(
        _("influence"), max_length=10, choices=Influence, default=Influence.MEDIUM
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    history = HistoricalRecords()
    objects = StakeholderQuerySet.as_manager()

    class Meta:
        verbose_name = _("stakeholder")
        verbose_name_plural = _("buying group (采购小组)")
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "contact"], name="stakeholder_unique_contact"
            ),
        ]

    def __str__(self):
        return f"{self.opportunity_id}:{self.contact_id}"

    def clean(self):
        # The database cannot compare two tables in a constraint; forms and services call this.
        if (
            self.contact_id
            and self.opportunity_id
            and self.contact.account_id != self.opportunity.account_id
        ):
            raise ValidationError(
                {"contact": _("This contact belongs to another account than the opportunity.")}
            )


class StakeholderRole(models.Model):
    """One purchase role of a stakeholder: a small child table, so that "does this deal have a
    decision maker?" is a plain indexed query on SQLite and PostgreSQL alike."""

    stakeholder = models.ForeignKey(
        Stakeholder, on_delete=models.CASCADE, related_name="roles", verbose_name=_("stakeholder")
    )
    role = models.CharField(_("purchase role"), max_length=16, choices=PurchaseRole)

    class Meta:
        verbose_name = _("purchase role")
        verbose_name_plural = _("purchase roles")
        constraints = [
            models.UniqueConstraint(fields=["stakeholder", "role"], name="stakeholder_role_unique"),
        ]

    def __str__(self):
        return self.role
