"""Activities: the admin-editable taxonomy of activity types, each mapped to the stage it evidences
(§4.2), and what the rep did, with whom; gifts and hospitality above a limit need a manager's
approval (§10 "within the law").
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Account, Contact
from crm import policy
from crm.models import TimeStampedModel
from relationships.models.choices import ActivityStyle, Stage, _bilingual


class ActivityType(models.Model):
    """A kind of activity, mapped to the relationship stage it evidences (METHOD.md §4.2).

    Admin-editable; seeded with the method's list (relationships/defaults.py)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    stage = models.PositiveSmallIntegerField(
        _("evidences stage"),
        choices=Stage,
        null=True,
        blank=True,
        help_text=_("Empty for ordinary activities (email, meeting) that show no stage."),
    )
    style = models.CharField(
        _("style"),
        max_length=12,
        choices=ActivityStyle,
        default=ActivityStyle.NEUTRAL,
        help_text=_("Used to suit next-best actions to the personality type."),
    )
    is_gift = models.BooleanField(
        _("gift or hospitality"),
        default=False,
        help_text=_("Carries a value; above the limit it needs a manager's approval."),
    )
    approval_limit = models.DecimalField(
        _("approval limit (CNY)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("A gift or hospitality costing more than this needs approval."),
    )
    interest_keywords = models.CharField(
        _("interest keywords"),
        max_length=300,
        blank=True,
        help_text=_(
            "Comma-separated words; a contact with a matching interest point gets this "
            "activity suggested first (e.g. golf, tea, 茶)."
        ),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["position", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__isnull=True) | Q(stage__gte=1, stage__lte=4),
                name="activity_type_stage_valid",
            ),
            models.CheckConstraint(
                condition=Q(is_gift=False) | Q(approval_limit__isnull=False),
                name="activity_type_gift_has_limit",
            ),
            models.CheckConstraint(
                condition=Q(approval_limit__isnull=True) | Q(approval_limit__gte=0),
                name="activity_type_limit_not_negative",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _bilingual(self.name_en, self.name_zh)

    @property
    def keywords(self) -> list[str]:
        return [
            k.strip() for k in self.interest_keywords.replace("，", ",").split(",") if k.strip()
        ]

    def clean(self):
        if self.is_gift and self.approval_limit is None:
            raise ValidationError(
                {"approval_limit": _("A gift or hospitality type needs an approval limit.")}
            )


class ActivityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Activities the user may see: any of their contacts is visible (all contacts belong
        to the activity's account, so: the account is visible), or the owner is reachable."""
        by_account = policy.within(
            self, user, parent="account", parents=Account.objects.visible_to(user)
        )
        return policy.visible(self, user, owner="owner") | by_account

    def pending_approval(self):
        return self.filter(approval_status=Activity.Approval.PENDING)

    def approvable_by(self, user):
        """Gifts whose approval `user` may decide: those of the members of the teams they
        manage (every one for an admin), never their own."""
        if not policy.is_active(user):
            return self.none()
        needs_decision = self.exclude(approval_status=Activity.Approval.NOT_NEEDED).exclude(
            owner=user
        )
        if policy.is_admin(user):
            return needs_decision
        return needs_decision.filter(owner__in=policy.managed_member_ids(user))


class Activity(TimeStampedModel):
    """Something the rep did with one or more people of one account (活动)."""

    class Approval(models.TextChoices):
        NOT_NEEDED = "not_needed", _("no approval needed")
        PENDING = "pending", _("pending approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="activities",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    contacts = models.ManyToManyField(
        Contact, related_name="activities", verbose_name=_("contacts")
    )
    # A string reference "upwards" (DESIGN.md): relationships never imports opportunities.
    opportunity = models.ForeignKey(
        "opportunities.Opportunity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
        verbose_name=_("opportunity"),
    )
    type = models.ForeignKey(
        ActivityType,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("activity type"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True)
    cost = models.DecimalField(
        _("cost (CNY)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_date = models.DateField(_("next step date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("owner"),
    )
    approval_status = models.CharField(
        _("approval"),
        max_length=12,
        choices=Approval,
        default=Approval.NOT_NEEDED,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_activities",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # Activity list ("mine"), newest first.
            models.Index(fields=["owner", "-date"], name="activity_owner_date_idx"),
            # Account timeline and heat map.
            models.Index(fields=["account", "-date"], name="activity_account_date_idx"),
            # Home and care page: the user's next steps by date (8.4 → 3.4 ms at 300,000).
            models.Index(fields=["owner", "next_step_date"], name="activity_owner_next_step_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(cost__gte=0), name="activity_cost_not_negative"),
            models.CheckConstraint(
                condition=Q(approval_status__in=["not_needed", "pending"])
                | Q(decided_at__isnull=False),
                name="activity_decision_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.date} {self.type_id}"

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError(
                {"date": _("Log activities once they have happened; plan them as a next step.")}
            )
        if self.next_step_date and self.date and self.next_step_date < self.date:
            raise ValidationError(
                {"next_step_date": _("The next step cannot come before the activity.")}
            )
