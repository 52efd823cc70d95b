"""Greetings of care (move 2: keep in touch before there is a deal, METHOD.md §4.5).

GreetingTemplate: the admin-editable text per occasion, language and personality type.
CommunicationPreference: what a person allows (e-mail, SMS), why and since when (PIPL).
GreetingSetting: quiet hours for SMS and the morning hour of scheduled greetings.
Greeting: one message to one person, its channel and status; once sent it is logged as an
activity of the type "greeting" (relationships.models.Activity).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from accounts.models import Account, Contact
from crm import policy
from crm.models import TimeStampedModel
from relationships.greetings import placeholders
from relationships.models import Activity, Festival, Personality

LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]


class Occasion(models.TextChoices):
    FESTIVAL = "festival", _("festival")
    BIRTHDAY = "birthday", _("birthday")


class Channel(models.TextChoices):
    EMAIL = "email", _("e-mail")
    SMS = "sms", _("SMS")
    WECHAT = "wechat", _("WeChat (copied)")


class GreetingTemplate(models.Model):
    occasion = models.CharField(_("occasion"), max_length=10, choices=Occasion)
    festival = models.ForeignKey(
        Festival,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="greeting_templates",
        verbose_name=_("festival"),
        help_text=_("Empty: every festival without a template of its own."),
    )
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES)
    personality = models.CharField(
        _("personality type"),
        max_length=10,
        choices=[c for c in Personality.choices if c[0] != Personality.UNKNOWN],
        blank=True,
        help_text=_("Empty: for everyone without a variant of their own."),
    )
    subject = models.CharField(_("e-mail subject"), max_length=150)
    body = models.TextField(_("text"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("greeting template")
        verbose_name_plural = _("greeting templates")
        constraints = [
            models.UniqueConstraint(
                fields=["occasion", "festival", "language", "personality"],
                condition=Q(festival__isnull=False),
                name="greeting_template_one_per_festival",
            ),
            models.UniqueConstraint(
                fields=["occasion", "language", "personality"],
                condition=Q(festival__isnull=True),
                name="greeting_template_one_general",
            ),
            models.CheckConstraint(
                condition=Q(occasion="festival") | Q(festival__isnull=True),
                name="greeting_template_festival_only_for_festivals",
            ),
        ]

    def __str__(self):
        return f"{self.occasion} {self.language} {self.personality or '*'}"

    def clean(self):
        errors = {}
        for field in ("subject", "body"):
            wrong = placeholders.unknown(getattr(self, field))
            if wrong:
                errors[field] = _("Unknown placeholder %(names)s; use one of: %(known)s.") % {
                    "names": ", ".join(f"{{{name}}}" for name in wrong),
                    "known": placeholders.help_text(),
                }
        if self.festival_id and self.occasion != Occasion.FESTIVAL:
            errors["festival"] = _("Only a festival's template names a festival.")
        if errors:
            raise ValidationError(errors)


class CommunicationPreference(TimeStampedModel):
    """What one person allows; no row means nobody has said otherwise (both allowed)."""

    contact = models.OneToOneField(
        Contact,
        on_delete=models.CASCADE,
        related_name="communication_preference",
        verbose_name=_("contact"),
    )
    email_allowed = models.BooleanField(_("e-mail allowed"), default=True)
    sms_allowed = models.BooleanField(_("SMS allowed"), default=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    set_on = models.DateField(_("set on"), default=timezone.localdate)
    language = models.CharField(
        _("greeting language"), max_length=10, choices=LANGUAGES, default="zh-hans"
    )
    salutation = models.CharField(
        _("salutation (称呼)"),
        max_length=50,
        blank=True,
        help_text=_("How greetings address the person, e.g. 王总; empty: the name."),
    )
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("set by"),
    )

    # Who allowed or refused what, and when: the record PIPL asks us to be able to show.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("communication preference")
        verbose_name_plural = _("communication preferences")

    def __str__(self):
        return f"{self.contact_id}: e-mail {self.email_allowed}, SMS {self.sms_allowed}"


class GreetingSetting(models.Model):
    """One row, edited in admin (the numbers are product choices, not the method's)."""

    sms_quiet_from = models.TimeField(_("no SMS from"), default=datetime.time(21, 0))
    sms_quiet_until = models.TimeField(_("no SMS until"), default=datetime.time(8, 0))
    morning_at = models.TimeField(_("scheduled greetings go at"), default=datetime.time(9, 0))
    company_en = models.CharField(_("our company (English)"), max_length=100, blank=True)
    company_zh = models.CharField(_("our company (Chinese)"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("greeting setting")
        verbose_name_plural = _("greeting settings")

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first() or cls()


# The statuses that hold the occasion: a second greeting to the same person is refused.
HOLDING = ["scheduled", "queued", "sending", "copied", "sent", "failed"]


class GreetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """As activities: the person's account is visible, or the sender is within reach."""
        by_account = policy.within(
            self, user, parent="account", parents=Account.objects.visible_to(user)
        )
        return policy.visible(self, user, owner="owner") | by_account


class Greeting(TimeStampedModel):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        COPIED = "copied", _("copied, waiting for your confirmation")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    HOLDING = HOLDING

    account = models.ForeignKey(
        Account,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=pgettext_lazy("customer", "account"),
    )
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="greetings", verbose_name=_("contact")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="greetings",
        verbose_name=_("sent by"),
    )
    occasion = models.CharField(_("occasion"), max_length=10, choices=Occasion)
    festival = models.ForeignKey(
        Festival,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("festival"),
    )
    # "birthday" or "festival:<id>" with the day: the key of "one greeting per occasion".
    occasion_key = models.CharField(max_length=30)
    occasion_date = models.DateField(_("day of the occasion"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    language = models.CharField(_("language"), max_length=10, choices=LANGUAGES)
    target = models.CharField(_("sent to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=150, blank=True)
    text = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=10, choices=Status, db_index=True)
    scheduled_for = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    result = models.TextField(_("result"), blank=True)
    activity = models.OneToOneField(
        Activity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="greeting",
        verbose_name=_("activity"),
    )

    objects = GreetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("greeting")
        verbose_name_plural = _("greetings")
        indexes = [
            # The greetings page (the user's, newest first) and the worker's scheduled scan.
            models.Index(fields=["owner", "-created_at"], name="greeting_owner_idx"),
            models.Index(fields=["status", "scheduled_for"], name="greeting_due_idx"),
        ]
        constraints = [
            # Two clicks, two tabs or two reps: one greeting per person and occasion.
            models.UniqueConstraint(
                fields=["contact", "occasion_key", "occasion_date"],
                condition=Q(status__in=HOLDING),
                name="greeting_once_per_occasion",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="greeting_sent_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.occasion_key} {self.occasion_date} → {self.contact_id}"
