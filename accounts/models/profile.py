"""Category 3 personal (sensitive, PIPL): a contact's personal profile and the log of who
read it.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts import birthdays
from accounts.models.contacts import Contact
from crm import lunar
from crm.models import TimeStampedModel


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
        API = "api", _("API")

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
