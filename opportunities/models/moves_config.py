"""Admin-editable data of moves 3–6: need categories (the "comprehensive" check), concern
signal phrases (the concern detector) and the thresholds of negotiation and collection."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def _bilingual(english: str, chinese: str) -> str:
    if (get_language() or "").lower().startswith("zh") and chinese:
        return chinese
    return english or chinese


class NeedCategory(models.Model):
    """A kind of need a comprehensive needs analysis covers (METHOD.md §5.1 不全面): the book's
    example asks about screen size only, not brand, price, features or standard."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    required = models.BooleanField(
        _("required for a comprehensive analysis"),
        default=True,
        help_text=_("The three-errors check wants at least one need in every required category."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("need category")
        verbose_name_plural = _("need categories")
        ordering = ["position", "code"]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return _bilingual(self.name_en, self.name_zh)


class ConcernSignal(models.Model):
    """A phrase in visit notes that signals a concern (顾虑, METHOD.md §7.1): "let's wait a
    little", "we're still studying it", being passed on to a leader or an expert."""

    phrase = models.CharField(_("phrase"), max_length=100, unique=True)
    risk_type = models.CharField(
        _("suggested risk type"),
        max_length=12,
        blank=True,
        help_text=_("Pre-filled on the concern suggested by this phrase; empty = other."),
    )
    meaning = models.CharField(_("what it usually means"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("concern signal")
        verbose_name_plural = _("concern signals")
        ordering = ["phrase"]

    def __str__(self):
        return self.phrase


class MovesSetting(models.Model):
    """Thresholds of moves 5 and 6 (one row)."""

    discount_approval_percent = models.DecimalField(
        _("discount that needs approval (%)"),
        max_digits=5,
        decimal_places=2,
        default=15,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("A negotiated discount above this needs a manager's approval."),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("remind before the due date (days)"),
        default=7,
        validators=[MaxValueValidator(365)],
        help_text=_("Payment milestones due within this many days are flagged for a reminder."),
    )
    detector_days = models.PositiveSmallIntegerField(
        _("concern detector looks back (days)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
    )

    class Meta:
        verbose_name = _("moves 3–6 setting")
        verbose_name_plural = _("moves 3–6 settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="moves_setting_single_row"),
            models.CheckConstraint(
                condition=Q(discount_approval_percent__gte=0, discount_approval_percent__lte=100),
                name="moves_setting_discount_range",
            ),
        ]

    def __str__(self):
        return str(_("moves 3–6 setting"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> "MovesSetting":
        """The stored row, or the defaults when none exists yet (one query)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)
