"""Per-contact relationships of move 2, 建立信任 (METHOD.md §4).

Relationship: the stage on the ladder 认识 → 约会 → 信赖 → 同盟, personality type, interest points,
institutional and personal needs (the trust quadrant, §4.3). StageChange: every change of stage.
ActivityType: the admin-editable taxonomy, each type mapped to the stage it evidences (§4.2).
Activity: what the rep did, with whom; gifts and hospitality above a limit need a manager's
approval (§10 "within the law"). Festival and CoolingThreshold: data for care reminders.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import Account, Contact
from crm import lunar, policy
from crm.models import TimeStampedModel


class Stage(models.IntegerChoices):
    """关系阶段, ordered (METHOD.md §4.2): a higher value is a deeper relationship."""

    ACQUAINTANCE = 1, _("acquaintance (认识)")
    INTERACTION = 2, _("interaction (约会)")
    TRUST = 3, _("trust (信赖)")
    ALLIANCE = 4, _("alliance (同盟)")


class Personality(models.TextChoices):
    """性格类型 (METHOD.md §4.4)."""

    UNKNOWN = "unknown", _("unknown")
    PEACOCK = "peacock", _("peacock (孔雀)")
    KOALA = "koala", _("koala (考拉)")
    OWL = "owl", _("owl (猫头鹰)")
    TIGER = "tiger", _("tiger (老虎)")


class Quadrant(models.TextChoices):
    """The trust matrix, institutional × personal needs (METHOD.md §4.3)."""

    PARTNER = "partner", _("partner (合作伙伴)")
    FRIEND = "friend", _("friend (朋友)")
    SUPPLIER = "supplier", _("supplier (供应商)")
    OUTSIDER = "outsider", _("outsider (局外人)")


class ActivityStyle(models.TextChoices):
    """What an activity type offers a person, so that next-best actions can suit the
    personality (METHOD.md §4.4): owls want evidence, tigers results, peacocks recognition,
    koalas a steady relationship."""

    EVIDENCE = "evidence", _("data and evidence")
    RESULTS = "results", _("results and decisions")
    RECOGNITION = "recognition", _("social and recognition")
    RAPPORT = "rapport", _("steady rapport")
    NEUTRAL = "neutral", _("neutral")


def _bilingual(english: str, chinese: str) -> str:
    """The name in the active language (admin-editable data carries both)."""
    if (get_language() or "").lower().startswith("zh") and chinese:
        return chinese
    return english or chinese


class RelationshipQuerySet(models.QuerySet):
    def visible_to(self, user):
        return policy.within(self, user, parent="contact", parents=Contact.objects.visible_to(user))


class Relationship(TimeStampedModel):
    """Our relationship with one person (per person, not per account: METHOD.md §10)."""

    contact = models.OneToOneField(
        Contact,
        on_delete=models.CASCADE,
        related_name="relationship",
        verbose_name=_("contact"),
    )
    stage = models.PositiveSmallIntegerField(
        _("relationship stage"), choices=Stage, default=Stage.ACQUAINTANCE
    )
    personality = models.CharField(
        _("personality type"), max_length=10, choices=Personality, default=Personality.UNKNOWN
    )
    interest_points = models.JSONField(
        _("interest points (兴趣点)"),
        default=list,
        blank=True,
        help_text=_("What this person cares about; the way to advance the relationship."),
    )
    institutional_needs = models.TextField(_("institutional needs"), blank=True)
    institutional_needs_met = models.BooleanField(_("institutional needs met"), default=False)
    personal_needs = models.TextField(_("personal needs"), blank=True)
    personal_needs_met = models.BooleanField(_("personal needs met"), default=False)

    history = HistoricalRecords()
    objects = RelationshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stage__gte=1, stage__lte=4), name="relationship_stage_valid"
            ),
        ]

    def __str__(self):
        return str(self.contact_id)


class StageChange(models.Model):
    """One move on the ladder: from, to, when, who, and the activity that supports it."""

    relationship = models.ForeignKey(
        Relationship,
        on_delete=models.CASCADE,
        related_name="stage_changes",
        verbose_name=_("relationship"),
    )
    from_stage = models.PositiveSmallIntegerField(
        pgettext_lazy("relationship stage", "from"), choices=Stage
    )
    to_stage = models.PositiveSmallIntegerField(
        pgettext_lazy("relationship stage", "to"), choices=Stage
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="relationship_stage_changes",
        verbose_name=_("changed by"),
    )
    activity = models.ForeignKey(
        "Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stage_changes",
        verbose_name=_("supporting activity"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            # Relationship page: the history of one relationship, newest first.
            models.Index(fields=["relationship", "-changed_at"], name="stage_change_rel_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(from_stage=models.F("to_stage")), name="stage_change_moves"
            ),
            models.CheckConstraint(
                condition=Q(from_stage__gte=1, from_stage__lte=4, to_stage__gte=1, to_stage__lte=4),
                name="stage_change_stages_valid",
            ),
        ]

    def __str__(self):
        return f"{self.from_stage} → {self.to_stage}"


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


class Festival(models.Model):
    """A day on which to show care, as a rule that recurs every year: a Gregorian date (元旦,
    国庆节, the company's own days), a lunar date (春节, 中秋节, …) or a solar term (清明).
    `year` limits a rule to one year (a customer's one-off day). Dates come from
    `relationships.care.festival_days()`."""

    class Calendar(models.TextChoices):
        SOLAR = "solar", _("Gregorian date (公历)")
        LUNAR = "lunar", _("lunar date (农历)")
        TERM = "term", _("solar term (节气)")

    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    calendar = models.CharField(
        _("calendar"), max_length=5, choices=Calendar, default=Calendar.SOLAR
    )
    month = models.PositiveSmallIntegerField(
        _("month"), null=True, blank=True, help_text=_("1–12; for a lunar date, the lunar month.")
    )
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    term = models.CharField(
        _("solar term"),
        max_length=2,
        blank=True,
        choices=[(name, name) for name in lunar.SOLAR_TERMS],
    )
    year = models.PositiveSmallIntegerField(
        _("only in year"), null=True, blank=True, help_text=_("Leave empty for every year.")
    )
    advice_en = models.CharField(_("greeting advice (English)"), max_length=200, blank=True)
    advice_zh = models.CharField(_("greeting advice (Chinese)"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("festival")
        verbose_name_plural = _("festivals")
        constraints = [
            models.UniqueConstraint(
                fields=["name_en", "calendar", "month", "day", "term", "year"],
                name="festival_unique_rule",
            ),
            models.CheckConstraint(
                condition=(Q(calendar="term", month__isnull=True, day__isnull=True) & ~Q(term=""))
                | (
                    Q(calendar__in=["solar", "lunar"], term="")
                    & Q(month__gte=1, month__lte=12, day__gte=1, day__lte=31)
                ),
                name="festival_rule_complete",
            ),
        ]

    def __str__(self):
        return self.name_en

    @property
    def name(self) -> str:
        return _bilingual(self.name_en, self.name_zh)

    @property
    def advice(self) -> str:
        return _bilingual(self.advice_en, self.advice_zh)

    @property
    def rule_label(self) -> str:
        """清明, 农历八月十五, 10/1 (2027 only): the rule as a person reads it."""
        if self.calendar == self.Calendar.TERM:
            label = self.term
        elif self.calendar == self.Calendar.LUNAR and self.month and self.day:
            label = "农历" + lunar.month_day_zh(self.month, self.day)
        else:
            label = f"{self.month}/{self.day}"
        if self.year:
            return _("%(rule)s (%(year)s only)") % {"rule": label, "year": self.year}
        return label

    def clean(self):
        if self.calendar == self.Calendar.TERM:
            if not self.term:
                raise ValidationError({"term": _("Choose the solar term.")})
            self.month = self.day = None
            return
        self.term = ""
        errors = {}
        if not self.month or not 1 <= self.month <= 12:
            errors["month"] = _("Enter a month from 1 to 12.")
        longest = 30 if self.calendar == self.Calendar.LUNAR else 31
        if not self.day or not 1 <= self.day <= longest:
            errors["day"] = _("Enter a day from 1 to %(longest)s.") % {"longest": longest}
        if not errors and self.calendar == self.Calendar.SOLAR:
            try:
                datetime.date(self.year or 2028, self.month, self.day)  # 2028: 29 Feb exists
            except ValueError:
                errors["day"] = _("That month has no such day.")
        if errors:
            raise ValidationError(errors)


class CoolingThreshold(models.Model):
    """After how many days without an activity a relationship at this stage is cooling."""

    stage = models.PositiveSmallIntegerField(_("relationship stage"), choices=Stage, unique=True)
    days = models.PositiveSmallIntegerField(_("days without activity"))

    class Meta:
        verbose_name = _("cooling threshold")
        verbose_name_plural = _("cooling thresholds")
        ordering = ["stage"]
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="cooling_threshold_positive"),
        ]

    def __str__(self):
        return f"{self.stage}: {self.days}"


class StagnationSetting(models.Model):
    """After how many days on one stage a person of an open deal counts as stagnant (METHOD.md
    §4.5, an inference [I]: so an admin setting). One row; without it the default applies."""

    days = models.PositiveSmallIntegerField(
        _("days on one stage"),
        help_text=_("A person of an open deal whose stage has not moved for longer is flagged."),
    )

    class Meta:
        verbose_name = _("stagnation setting")
        verbose_name_plural = _("stagnation setting")
        constraints = [
            models.CheckConstraint(condition=Q(days__gte=1), name="stagnation_days_positive"),
        ]

    def __str__(self):
        return str(self.days)


# Planned work lives in its own module (relationships/planning/); imported here so that Django
# registers its models with this app.
from relationships.greetings.models import (  # noqa: E402, F401
    CommunicationPreference,
    Greeting,
    GreetingSetting,
    GreetingTemplate,
)
from relationships.planning.models import PlannedActivity, Todo  # noqa: E402, F401
