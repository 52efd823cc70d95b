"""Data for care reminders: festivals and cooling thresholds."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from crm import lunar
from relationships.models.choices import Stage, _bilingual


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
