"""Customer accounts (客户) and the four-category dossier of move 1 (METHOD.md §3.3, §3.4).

Category 1 background / usage: Account fields, InstalledProduct, PurchasePlan.
Category 2 organisation: Department, DepartmentRelation, Contact (function × level).
Category 3 personal (sensitive, PIPL): PersonalProfile, ContactTie.
Category 4 competition: Competitor, CompetitorPresence.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts import birthdays
from accounts.identity import UsccField
from crm import lunar, policy
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

    name = models.CharField(_("name"), max_length=200)
    status = models.CharField(
        _("status"), max_length=12, choices=Status, default=Status.TARGET, db_index=True
    )
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
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
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


class AccountPartQuerySet(models.QuerySet):
    """Rows that belong to an account are visible with their account."""

    def visible_to(self, user):
        return policy.within(self, user, parent="account", parents=Account.objects.visible_to(user))


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


class PersonalProfile(TimeStampedModel):
    """个人资料 (category 3): sensitive personal information (PIPL, METHOD.md §10).

    Kept apart from the contact so that it can be shown, logged and exported on its own terms;
    visible only to users who may see the contact, and every change is recorded.
    """

    contact = models.OneToOneField(
        Contact,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("contact"),
    )
    family = models.TextField(_("family"), blank=True)
    hometown = models.CharField(_("hometown"), max_length=100, blank=True)
    university = models.CharField(_("university"), max_length=100, blank=True)
    major = models.CharField(_("major"), max_length=100, blank=True)
    hobbies = models.TextField(_("hobbies and interests"), blank=True)
    favourite_sports = models.CharField(_("favourite sports"), max_length=200, blank=True)
    favourite_food = models.CharField(
        _("favourite restaurants and food"), max_length=200, blank=True
    )
    favourite_reading = models.CharField(
        _("favourite books and magazines"), max_length=200, blank=True
    )
    vacation_plans = models.TextField(_("vacation plans and itinerary"), blank=True)

    class BirthdayCalendar(models.TextChoices):
        SOLAR = birthdays.SOLAR, _("Gregorian (公历)")
        LUNAR = birthdays.LUNAR, _("lunar (农历)")

    birthday_calendar = models.CharField(
        _("birthday kept by"),
        max_length=5,
        choices=BirthdayCalendar,
        default=BirthdayCalendar.SOLAR,
    )
    birthday = models.DateField(_("birthday"), null=True, blank=True)
    lunar_birthday_month = models.PositiveSmallIntegerField(
        _("lunar month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    lunar_birthday_day = models.PositiveSmallIntegerField(
        _("lunar day"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(30)],
    )
    lunar_birthday_leap = models.BooleanField(_("in a leap month (闰月)"), default=False)
    lunar_birthday_year = models.PositiveSmallIntegerField(
        _("lunar year of birth"), null=True, blank=True, help_text=_("Optional.")
    )
    notes = models.TextField(_("other personal notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("personal profile")
        verbose_name_plural = _("personal profiles")

    def __str__(self):
        return str(self.contact_id)

    INTEREST_FIELDS = ("hobbies", "favourite_sports", "favourite_food", "favourite_reading")
    BIRTHDAY_FIELDS = (
        "birthday_calendar",
        "birthday",
        "lunar_birthday_month",
        "lunar_birthday_day",
        "lunar_birthday_leap",
        "lunar_birthday_year",
    )
    BACKGROUND_FIELDS = ("family", "hometown", "university")

    @property
    def birthday_rule(self) -> birthdays.Birthday:
        return birthdays.Birthday(
            self.birthday_calendar,
            self.birthday,
            self.lunar_birthday_month,
            self.lunar_birthday_day,
            self.lunar_birthday_leap,
        )

    @property
    def has_birthday(self) -> bool:
        return self.birthday_rule.known

    def clean(self):
        today = timezone.localdate()
        if self.birthday and self.birthday > today:
            raise ValidationError({"birthday": _("A birthday cannot be in the future.")})
        if self.birthday_calendar == self.BirthdayCalendar.LUNAR:
            self._clean_lunar_birthday(today)

    def _clean_lunar_birthday(self, today):
        month, day, year = (
            self.lunar_birthday_month,
            self.lunar_birthday_day,
            self.lunar_birthday_year,
        )
        if not month or not day:
            raise ValidationError(
                {"lunar_birthday_month": _("Enter the lunar month and day of the birthday.")}
            )
        if year is None:
            return
        if year > lunar.from_solar(today).year:
            raise ValidationError({"lunar_birthday_year": _("A birthday cannot be in the future.")})
        if self.lunar_birthday_leap and lunar.leap_month(year) != month:
            raise ValidationError(
                {
                    "lunar_birthday_leap": _("The lunar year %(year)s has no leap month %(month)s.")
                    % {"year": year, "month": month}
                }
            )
        if day > lunar.days_in_month(year, month, self.lunar_birthday_leap):
            raise ValidationError(
                {
                    "lunar_birthday_day": _(
                        "That lunar month has 29 days in %(year)s: the 30th did not exist."
                    )
                    % {"year": year}
                }
            )


class PersonalDataAccess(models.Model):
    """Who looked at or changed a contact's personal profile, where and when (PIPL, METHOD.md
    §10). Written by every surface that shows the profile: the contact page, the profile form,
    Django admin, the change history and exports; read by admins only. A row outlives its
    contact (the contact becomes empty, the names it had are kept), because the log must still
    answer "who saw this person's data" after the person is deleted."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EDIT = "edit", _("changed")

    class Channel(models.TextChoices):
        PAGE = "page", _("contact page")
        FORM = "form", _("profile form")
        ADMIN = "admin", _("Django admin")
        HISTORY = "history", _("change history")
        EXPORT = "export", _("export")

    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_data_accesses",
        verbose_name=_("contact"),
    )
    contact_name = models.CharField(_("contact name"), max_length=200, blank=True)
    account_name = models.CharField(_("account name"), max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="personal_data_accesses",
        verbose_name=_("user"),
    )
    action = models.CharField(_("action"), max_length=4, choices=Action, default=Action.VIEW)
    channel = models.CharField(_("where"), max_length=7, choices=Channel, default=Channel.PAGE)
    accessed_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data access log")

    def __str__(self):
        return f"{self.user_id} {self.action} {self.contact_name}"


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


class DossierCheckSetting(models.Model):
    """An admin's tuning of one dossier check (accounts/dossier.py): its weight, or off.

    Seeded with the defaults of METHOD.md §3 by a data migration; a check without a row keeps
    its default weight.
    """

    code = models.CharField(_("check"), max_length=60, unique=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MaxValueValidator(100)],
        help_text=_("Relative weight within the check's category; 0 counts like switched off."),
    )
    enabled = models.BooleanField(_("enabled"), default=True)

    class Meta:
        verbose_name = _("dossier check")
        verbose_name_plural = _("dossier checks")
        ordering = ["code"]

    def __str__(self):
        return self.code

    def clean(self):
        from accounts.dossier import CHECKS_BY_CODE

        if self.code not in CHECKS_BY_CODE:
            raise ValidationError({"code": _("There is no dossier check with this code.")})


from accounts.merged import MergedAccount, MergedContact  # noqa: E402, F401  (registers them)
